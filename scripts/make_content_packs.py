"""Regenerate the bundled packs in content_packs/: media, exercise files and pack.json.

    .venv/bin/python scripts/make_content_packs.py [--no-media] [PACK_ID ...]

Articles (articles/*.md) are written by hand in each pack folder; everything else is made
here from scripts/packgen/. Speech needs espeak-ng; without it (or with --no-media) the audio
already in the folders is kept. Afterwards re-sign each changed pack:
    .venv/bin/hub packs sign content_packs/ID --key ../shared/keys/packs-ed25519.pem
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from packgen import numbers, reading, wellbeing  # noqa: E402
from packgen.build import build_pack  # noqa: E402

SPECS = {spec["id"]: spec for spec in (numbers.spec(), reading.spec(), wellbeing.spec())}


def main(argv=None) -> int:
    """Build the chosen packs (all by default) and print a one-line summary of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packs", nargs="*", help="pack ids (default: all)")
    parser.add_argument("--no-media", action="store_true", help="keep the existing audio")
    args = parser.parse_args(argv)
    for pack_id in args.packs or sorted(SPECS):
        manifest = build_pack(SPECS[pack_id], ROOT / "content_packs", media=not args.no_media)
        total = sum(r["size"] for r in manifest["resources"])
        print(f"{pack_id}: {len(manifest['resources'])} resources, {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
