"""usage of the catalogue."""
