"""Cross-cutting building blocks shared by every Mutualis app (no domain code here).

Settings base, database plumbing, problem+json errors, pagination, logging with request ids,
health probes and the internal HTTP client.
"""
