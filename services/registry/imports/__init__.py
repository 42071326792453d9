"""Bulk imports of the registry: workstation counts, budget calendars and contacts."""
