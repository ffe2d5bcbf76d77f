"""The JSON report: a versioned document holding every run, check and aggregate.

JSON has no NaN or infinity, so non-finite numbers (an undefined confidence interval of a
single run, say) are written as the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``;
``load_json_report`` turns them back into floats.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import attrs

import atp_core
from atp_core.protocol import SuiteRunResult, structure, unstructure
from atp_core.reporters._facts import summarize
from atp_core.reporters._options import ReportOptions

REPORT_VERSION = 1


def _finite(data: Any) -> Any:
    """Replace non-finite floats, anywhere in ``data``, by their string names."""
    if isinstance(data, float) and not math.isfinite(data):
        return "NaN" if math.isnan(data) else ("Infinity" if data > 0 else "-Infinity")
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def report_document(result: SuiteRunResult, options: ReportOptions) -> dict[str, Any]:
    """The JSON report as Python data (what ``render_json`` serializes)."""
    doc: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "atp_version": atp_core.__version__,
        "summary": unstructure(summarize(result)),
        "suite_run": unstructure(result),
        "baseline": None if options.baseline is None else unstructure(options.baseline),
    }
    return _finite(doc)  # type: ignore[no-any-return]


def render_json(result: SuiteRunResult, options: ReportOptions) -> str:
    """The JSON report, indented, ASCII-only (so any agent text survives any transport)."""
    return json.dumps(report_document(result, options), indent=2, allow_nan=False) + "\n"


_MARKER = "__atp_tests__"
_ITEM_INDENT = "\n" + " " * 6  # suite_run.tests[i] sits three levels deep


def iter_json(result: SuiteRunResult, options: ReportOptions) -> Iterator[str]:
    """The same text as ``render_json``, in pieces, one test at a time.

    Only one test's data is turned into JSON at once, so writing the report of a large
    suite run costs little more memory than the run itself.
    """
    if not result.tests:
        yield render_json(result, options)
        return
    doc: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "atp_version": atp_core.__version__,
        "summary": unstructure(summarize(result)),
        "suite_run": unstructure(attrs.evolve(result, tests=())),
        "baseline": None if options.baseline is None else unstructure(options.baseline),
    }
    doc = _finite(doc)
    doc["suite_run"]["tests"] = [_MARKER]
    head, tail = json.dumps(doc, indent=2, allow_nan=False).split(json.dumps(_MARKER))
    yield head
    for i, test in enumerate(result.tests):
        text = json.dumps(_finite(unstructure(test)), indent=2, allow_nan=False)
        yield ("," + _ITEM_INDENT if i else "") + text.replace("\n", _ITEM_INDENT)
    yield tail + "\n"


def load_json_report(text: str) -> SuiteRunResult:
    """Read back the suite run of a JSON report (to use it as a baseline, say).

    Raises:
        ValueError: the text is not a valid ATP JSON report of a supported version.
    """
    import jsonschema

    from atp_core.reporters._schema import report_json_schema

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a JSON document: {exc}") from exc
    version = doc.get("report_version") if isinstance(doc, dict) else None
    if version != REPORT_VERSION:
        raise ValueError(
            f"not an ATP JSON report of version {REPORT_VERSION} (report_version={version!r})"
        )
    errors = sorted(
        jsonschema.Draft202012Validator(report_json_schema()).iter_errors(doc),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(root)"
        raise ValueError(f"invalid ATP JSON report at {where}: {errors[0].message}")
    return structure(doc["suite_run"], SuiteRunResult)
