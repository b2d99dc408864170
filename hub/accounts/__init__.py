"""accounts room."""
