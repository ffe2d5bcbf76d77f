"""A suite run flattened to one row per run, as CSV or XLSX (for exports and the dashboard)."""

from __future__ import annotations

import csv
import io

from atp_core.protocol import SuiteRunResult

Table = tuple[list[str], list[list[object]]]

COLUMNS = ["suite_run_id", "suite", "agent", "test_id", "test_name", "test_verdict",
           "run_number", "run_verdict", "status", "score", "duration_seconds", "total_tokens",
           "cost_usd", "error_kind", "error", "failed_checks"]


def runs_table(result: SuiteRunResult) -> Table:
    """Header and rows: one row per run."""
    rows: list[list[object]] = []
    for test in result.tests:
        for run in test.runs:
            failed = "; ".join(f"{c.name}: {c.message}" for c in run.checks
                               if c.status != "passed")
            rows.append([result.id, result.suite, result.agent, test.test_id, test.name,
                         test.verdict, run.run_number, run.verdict, run.status, run.score,
                         run.duration_seconds, run.metrics.total_tokens, run.metrics.cost_usd,
                         run.error_kind, run.error, failed])
    return COLUMNS, rows


def _cell(value: object) -> object:
    # A leading =, +, - or @ makes a spreadsheet run the cell as a formula: agent text
    # must never become one.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    """CSV with a header row."""
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def to_xlsx(table: Table, sheet: str = "runs") -> bytes:
    """An XLSX workbook with one sheet (openpyxl, imported here)."""
    from openpyxl import Workbook

    header, rows = table
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
