"""Staffing references: profiles of IT staff, their employer costs, per-service needs."""
