"""budget_calendars domain of the registry."""
