"""inventory of the catalogue."""
