"""ATP web dashboard (Starlette + HTMX)."""
