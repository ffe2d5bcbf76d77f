"""One module per ``atp`` command; each adds its parser and a lazily importing handler."""
