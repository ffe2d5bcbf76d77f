"""Reports of a suite run: console, JSON, JUnit XML, HTML and Markdown.

Every format shows the same facts (summary, per-test statistics, every failure with its
reason); each escapes agent-provided text for its own syntax.
"""

from __future__ import annotations

from atp_core.reporters._baseline import BaselineComparison, TestDelta, compare_baseline
from atp_core.reporters._json import REPORT_VERSION, load_json_report
from atp_core.reporters._registry import render_report, report_formats, write_report
from atp_core.reporters._schema import report_json_schema

__all__ = [
    "REPORT_VERSION",
    "BaselineComparison",
    "TestDelta",
    "compare_baseline",
    "load_json_report",
    "render_report",
    "report_formats",
    "report_json_schema",
    "write_report",
]
