"""One module per page family; each exposes plain async endpoint functions."""
