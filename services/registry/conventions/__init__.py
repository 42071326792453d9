"""conventions domain of the registry."""
