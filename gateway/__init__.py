"""Gateway: the only public door to the services (routing now; authentication in its own issue)."""
