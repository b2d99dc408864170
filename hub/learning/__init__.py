"""learning room."""
