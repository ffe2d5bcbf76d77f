"""``ref-solver`` for data processing: parses the CSV and JSON task families and computes them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from atp_core.agents._core import file_artifact
from atp_core.agents._reference_reasoning import answer
from atp_core.protocol import Artifact, Request

Row = dict[str, Any]
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "is greater than": lambda a, b: a > b,
    "is less than": lambda a, b: a < b,
    "equals": lambda a, b: a == b,
}


def _cell(raw: str) -> Any:
    return int(raw) if re.fullmatch(r"-?\d+", raw) else raw


def parse_csv(text: str) -> list[Row]:
    """Rows of a simple CSV (no quoting), numbers as integers."""
    header, *lines = text.strip().split("\n")
    keys = header.split(",")
    return [dict(zip(keys, map(_cell, line.split(",")), strict=True)) for line in lines]


def _columns(text: str) -> list[str]:
    return [c.strip() for c in text.split(",")]


def _sort(rows: list[Row], by: str, order: str) -> list[Row]:
    rows = sorted(rows, key=lambda r: r["id"])
    return sorted(rows, key=lambda r: r[by], reverse=order == "descending")


def transform(task: str, rows: list[Row]) -> tuple[list[str], list[Row]]:
    """Apply the instruction in ``task`` to ``rows``: the output columns and rows."""
    if m := re.search(r"Keep the rows where (\w+) (is greater than|is less than|equals) "
                      r"(\S+?), sort them by (\w+) in (\w+) order, and keep the columns "
                      r"([\w, ]+)\.", task):
        col, op, value, by, order, cols = m.groups()
        kept = [r for r in rows if _OPS[op](r[col], _cell(value))]
        return _columns(cols), _sort(kept, by, order)
    if m := re.search(r"Group the rows by (\w+) and compute the total of (\w+)", task):
        by, col = m.groups()
        totals: dict[Any, int] = {}
        for r in rows:
            totals[r[by]] = totals.get(r[by], 0) + r[col]
        return [by, "total"], [{by: k, "total": v} for k, v in sorted(totals.items())]
    if m := re.search(r"Add a column (\w+) equal to (\w+) multiplied by (\w+), sort the rows "
                      r"by \w+ in (\w+) order, keep only the first (\d+) rows, and keep the "
                      r"columns ([\w, ]+)\.", task):
        new, a, b, order, top, cols = m.groups()
        computed = [{**r, new: r[a] * r[b]} for r in rows]
        return _columns(cols), _sort(computed, new, order)[: int(top)]
    raise ValueError("unknown CSV instruction")


def _render(columns: list[str], rows: list[Row]) -> str:
    lines = [",".join(columns), *(",".join(str(r[c]) for c in columns) for r in rows)]
    return "\n".join(lines) + "\n"


def _path(doc: Any, path: str) -> Any:
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path.removeprefix("$")):
        doc = doc[name] if name else doc[int(index)]
    return doc


def _total(order: Row) -> int:
    return sum(i["quantity"] * i["unit_price"] for i in order["items"])


def _most(values: list[str]) -> str:
    ranked = Counter(values).most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        raise ValueError("no single most frequent value")
    return ranked[0][0]


_QUESTIONS: list[tuple[str, Callable[..., Any]]] = [
    (r"title of the book with id (\w+)",
     lambda d, i: next(b["title"] for b in d["books"] if b["id"] == i)),
    (r"titles of the books published before (\d+)",
     lambda d, y: [b["title"] for b in d["books"] if b["year"] < int(y)]),
    (r'How many books have the tag "(\w+)"', lambda d, t: sum(t in b["tags"] for b in d["books"])),
    (r"total number of copies of the books by ([\w ]+?)\?",
     lambda d, a: sum(b["copies"] for b in d["books"] if b["author"] == a)),
    (r"Which author has the most books", lambda d: _most([b["author"] for b in d["books"]])),
    (r"value at the JSON path (\S+?)\?", _path),
    (r"distinct tags of all books", lambda d: sorted({t for b in d["books"] for t in b["tags"]})),
    (r"ids of the orders whose total .* exceeds (\d+)",
     lambda d, n: [o["id"] for o in d["orders"] if _total(o) > int(n)]),
    (r"sum of quantity times unit_price over every item",
     lambda d: sum(_total(o) for o in d["orders"])),
    (r"Which customer placed the most orders",
     lambda d: _most([o["customer"] for o in d["orders"]])),
]


def extract(question: str, document: Any) -> Any:
    """Answer a question of the json_extraction family about ``document``."""
    for pattern, compute in _QUESTIONS:
        if m := re.search(pattern, question):
            return compute(document, *m.groups())
    raise ValueError("unknown JSON question")


async def solve_data(request: Request) -> list[Artifact]:
    """Solve a csv_transform or json_extraction task."""
    data = request.task.input_data or {}
    text = request.task.description
    if "csv" in data:
        columns, rows = transform(text, parse_csv(str(data["csv"])))
        return [file_artifact("output.csv", _render(columns, rows), "text/csv")]
    return answer(extract(text, data.get("document")))
