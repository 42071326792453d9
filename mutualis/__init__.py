"""Command line of Mutualis: run the platform, migrate databases, manage accounts."""
