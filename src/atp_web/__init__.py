"""ATP web dashboard: server-rendered pages (Starlette + Jinja2 + HTMX) over the results store.

``create_app(settings, store)`` builds the application; ``WebSettings`` configures it;
``atp serve`` runs it under uvicorn. See docs/dashboard.md.
"""

from atp_web.app import create_app
from atp_web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
