"""The JSON Schema (draft 2020-12) of the JSON report, version 1.

Generated from the same attrs classes that ``unstructure`` writes, so the schema cannot
drift from the report. The one adjustment: every number may also be one of the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``, which is how the report writes the
non-finite floats JSON cannot hold.
"""

from __future__ import annotations

from typing import Any

from atp_core.protocol import SuiteRunResult
from atp_core.protocol._schema import DRAFT, json_schema
from atp_core.reporters._baseline import BaselineComparison
from atp_core.reporters._facts import Summary

NON_FINITE = ["NaN", "Infinity", "-Infinity"]


def _allow_non_finite(schema: Any) -> Any:
    """Replace each ``{"type": "number"}`` (keeping its siblings) with number-or-name."""
    if isinstance(schema, list):
        return [_allow_non_finite(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _allow_non_finite(v) for k, v in schema.items()}
    if out.get("type") == "number":
        del out["type"]
        out["anyOf"] = [{"type": "number"}, {"enum": NON_FINITE}]
    return out


def _defs_of(*classes: type) -> dict[str, Any]:
    """Each class and everything it references, as ``$defs`` entries."""
    defs: dict[str, Any] = {}
    for cls in classes:
        doc = json_schema(cls)
        defs |= doc.pop("$defs", {})
        defs[cls.__name__] = {k: v for k, v in doc.items() if k not in ("$schema", "title")}
    return dict(sorted(defs.items()))


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every JSON report validates against."""
    properties = {
        "report_version": {"const": 1, "description": "Version of this document's format."},
        "atp_version": {"type": "string", "description": "The ATP that wrote the report."},
        "summary": {"$ref": "#/$defs/Summary"},
        "suite_run": {"$ref": "#/$defs/SuiteRunResult"},
        "baseline": {"anyOf": [{"$ref": "#/$defs/BaselineComparison"}, {"type": "null"}],
                     "description": "The comparison with a baseline run, if one was given."},
    }
    schema = {
        "$schema": DRAFT,
        "$id": "urn:atp:report:1",
        "title": "ATP JSON report, version 1",
        "description": "One suite run with every run, check and aggregate.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": _defs_of(SuiteRunResult, Summary, BaselineComparison),
    }
    result: dict[str, Any] = _allow_non_finite(schema)
    return result
