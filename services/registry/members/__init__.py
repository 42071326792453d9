"""members domain of the registry."""
