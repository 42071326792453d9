"""contacts domain of the registry."""
