"""ATP command line."""
