"""Instruction counts by callgrind, as ``bench_observability --instructions`` takes them."""

from __future__ import annotations

import os
import shutil

import _instructions as instructions  # on the path by conftest.py
import pytest


@pytest.fixture
def valgrind() -> None:
    if shutil.which("valgrind") is None:
        if os.environ.get("ATP_REQUIRE_SERVICES"):
            pytest.fail("valgrind is missing and ATP_REQUIRE_SERVICES is set")
        pytest.skip("valgrind is not installed (scripts/ensure-system.sh installs it)")


def test_summary_line_is_read() -> None:
    assert instructions.summary("version: 1\ncmd: x\nevents: Ir\nsummary: 12345\n") == 12345
    assert instructions.summary("events: Ir\ntotals: 77\n") == 77
    with pytest.raises(ValueError, match="summary"):
        instructions.summary("events: Ir\n")


def test_counts_grow_with_the_work_per_run(valgrind: None) -> None:
    # A shell loop of ``steps`` iterations per "run": "heavy" does three times the work.
    steps = {"light": 200, "heavy": 600}

    def command(mode: str, suites: int) -> list[str]:
        n = steps[mode] * suites
        return ["/bin/sh", "-c", f"i=0; while [ $i -lt {n} ]; do i=$((i+1)); done"]

    counts = instructions.per_run(command, ("light", "heavy"), runs_per_suite=1)
    assert counts["light"] > 0
    # Start-up cancels out between the two processes of a mode: the ratio is the work's.
    assert counts["heavy"] / counts["light"] == pytest.approx(3.0, rel=0.05)


def test_a_failing_command_is_an_error(valgrind: None) -> None:
    with pytest.raises(RuntimeError, match="under callgrind failed"):
        instructions.per_run(lambda _m, _n: ["/bin/sh", "-c", "exit 3"], ("x",), 1)
