"""Generator of the bundled content packs: specs, media, exercise files and pack.json."""
