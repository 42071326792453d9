"""The four back-end services; each owns its database and talks to the others over HTTP."""
