"""A member's bill compared with hiring its own IT staff for the domains it uses."""
