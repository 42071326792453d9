"""The audit trail of the registry's writes."""
