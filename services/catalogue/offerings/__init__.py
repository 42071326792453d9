"""offerings of the catalogue."""
