"""JSON and export responses shared by the views."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
from starlette.datastructures import QueryParams
from starlette.responses import Response

from atp_web import params
from atp_web.services.exports import FORMATS, MEDIA_TYPES, export
from atp_web.services.tables import Table

_LEAVES = frozenset({str, int, bool, type(None)})
_FIELD_NAMES: dict[type[object], tuple[str, ...] | None] = {}


def _field_names(cls: type[object]) -> tuple[str, ...] | None:
    """The attrs field names of ``cls`` (None if it is no attrs class), looked up once."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in attrs.fields(cls)) if attrs.has(cls) else None
    return _FIELD_NAMES[cls]


def plain(value: Any) -> Any:
    """attrs objects, tuples and non-finite floats as JSON-ready values."""
    # Exact leaf types first and attrs fields looked up once per class: this walk was about
    # a third of the API's CPU time under load (docs/dashboard.md, Performance).
    cls: type[object] = type(value)
    if cls in _LEAVES:
        return value
    if cls is float:
        return value if math.isfinite(value) else None
    names = _field_names(cls)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_response(data: Any, status_code: int = 200) -> Response:
    """``data`` as JSON (attrs objects included)."""
    body = json.dumps(plain(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type="application/json")


def wanted_export(query: QueryParams) -> str | None:
    """The export format a request asks for (``?format=csv|xlsx``), or None for the page."""
    return params.choice(query, "format", FORMATS, None)


def export_response(table: Table, fmt: str, stem: str) -> Response:
    """``table`` as a CSV or XLSX download named ``stem.fmt``."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80] or "export"
    return Response(
        export(table, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{safe}.{fmt}"'},
    )


def pick_table(query: QueryParams, tables: dict[str, Table]) -> Table:
    """The table a request names with ``?table=`` (the first one by default)."""
    name = params.choice(query, "table", list(tables), next(iter(tables)))
    assert name is not None
    return tables[name]
