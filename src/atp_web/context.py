"""What every view reaches through ``request.app.state.web``: store, templates, feed, launcher."""

from __future__ import annotations

import attrs
from starlette.requests import HTTPConnection

from atp_core.store import Store
from atp_web.metrics import WebMetrics
from atp_web.services.feed import LiveFeed
from atp_web.services.launcher import Launcher
from atp_web.settings import WebSettings
from atp_web.templating import Pages


@attrs.define(kw_only=True)
class WebContext:
    """One dashboard's shared parts; ``store`` and ``launcher`` exist while the app runs."""

    settings: WebSettings
    pages: Pages
    feed: LiveFeed
    metrics: WebMetrics
    store_: Store | None = None
    launcher_: Launcher | None = None

    @property
    def store(self) -> Store:
        """The open results store."""
        if self.store_ is None:
            raise RuntimeError("the results store is open only while the app runs")
        return self.store_

    @property
    def launcher(self) -> Launcher:
        """The launcher of in-server suite runs."""
        if self.launcher_ is None:
            raise RuntimeError("the launcher exists only while the app runs")
        return self.launcher_


def web(conn: HTTPConnection) -> WebContext:
    """The dashboard context of a request or WebSocket."""
    ctx: WebContext = conn.app.state.web
    return ctx
