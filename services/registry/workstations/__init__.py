"""workstations domain of the registry."""
