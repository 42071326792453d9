"""drivers of the catalogue."""
