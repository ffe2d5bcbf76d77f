"""Jinja2 pages whose swappable parts are named blocks: an HTMX request gets just the block."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2_fragments import render_block
from starlette.requests import Request
from starlette.responses import HTMLResponse

DASH = "\u2013"


def _pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    return f"{value * 100:.0f}%"


def _num(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    return f"{value:.{digits}f}"


def _when(value: str | None) -> str:
    """An ISO timestamp shortened to date and time to the second."""
    if not value:
        return DASH
    return value.replace("T", " ")[:19]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def make_environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape always on."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("atp_web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=_pct, num=_num, when=_when, pretty=_pretty)
    return env


class Pages:
    """Renders page templates, or one named block of them for HTMX requests."""

    def __init__(self, env: jinja2.Environment, globals_: Mapping[str, Any]) -> None:
        self.env = env
        self.globals = dict(globals_)

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any],
        *,
        block: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        """The whole page, or only ``block`` when HTMX asks (and does not boost the page)."""
        ctx = {**self.globals, "request": request, **context}
        partial = (
            block is not None
            and request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Boosted") != "true"
        )
        if partial:
            assert block is not None
            html = render_block(self.env, name, block, ctx)
        else:
            html = self.env.get_template(name).render(ctx)
        response = HTMLResponse(html, status_code=status_code)
        response.headers["Vary"] = "HX-Request"
        return response

    def fragment(self, name: str, block: str, context: Mapping[str, Any]) -> str:
        """One block as text (live updates push these)."""
        return render_block(self.env, name, block, {**self.globals, **context})

    def text(self, name: str, context: Mapping[str, Any]) -> str:
        """A whole template as text (live updates push these)."""
        return self.env.get_template(name).render({**self.globals, **context})
