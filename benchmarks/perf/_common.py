"""Shared helpers of the benchmarks: suites built in memory, tables, the venv's ``atp``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from atp_core.protocol import AgentSpec, AssertionSpec, Suite, TaskSpec, TestCase

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ECHO = AgentSpec(name="echo", type="python", config={"target": "_agents:echo"})


def echo_path() -> None:
    """Make ``_agents`` importable (the python adapter imports its target by name)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))


def echo_suite(tests: int, runs: int = 1) -> Suite:
    """``tests`` tests of ``runs`` runs each, one cheap ``contains`` assertion per test."""
    check = (AssertionSpec(type="contains", config={"pattern": "hello"}),)
    cases = tuple(
        TestCase(
            id=f"t{i:05d}",
            name=f"echo {i}",
            task=TaskSpec(description=f"hello {i}"),
            assertions=check,
            runs=runs,
        )
        for i in range(tests)
    )
    return Suite(name="bench-echo", tests=cases)


def echo_suite_yaml(tests: int, runs: int = 1) -> str:
    """The same suite as YAML, with the echo agent in its ``agents:`` block."""
    lines = [
        'test_suite: "bench-echo"',
        'version: "1.0"',
        f"defaults: {{runs_per_test: {runs}, timeout_seconds: 30}}",
        "agents:",
        '  - {name: "echo", type: "python", config: {target: "_agents:echo"}}',
        "tests:",
    ]
    for i in range(tests):
        lines.append(
            f'  - {{id: "t{i:05d}", name: "echo {i}", task: {{description: "hello {i}"}}, '
            'assertions: [{type: "contains", config: {pattern: "hello"}}]}'
        )
    return "\n".join(lines) + "\n"


def table(title: str, rows: Sequence[tuple[str, str, str, str]]) -> str:
    """A plain-text table of (measure, measured, target, verdict) rows under a title."""
    header = ("measure", "measured", "target", "verdict")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    out = [title, line, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(line)
    return "\n".join(out)


def verdict(ok: bool) -> str:
    """``meets`` or ``MISSES`` (loud on purpose)."""
    return "meets" if ok else "MISSES"
