"""components of the catalogue."""
