"""Web: server-rendered French pages (Jinja2 + htmx) built from gateway REST calls only."""
