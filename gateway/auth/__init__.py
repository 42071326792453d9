"""Authentication: accounts, passwords, web sessions, bearer and machine tokens, audit."""
