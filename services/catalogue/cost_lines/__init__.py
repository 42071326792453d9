"""cost lines of the catalogue."""
