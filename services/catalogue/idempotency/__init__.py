"""idempotency of the catalogue."""
