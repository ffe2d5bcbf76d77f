"""The progress sink's output, and exit codes of suite results."""

from __future__ import annotations

import io
from typing import Any

import pytest

from atp_core.runner import ProgressSink, exit_code
from atp_core.testing import Reply

pytestmark = pytest.mark.anyio


class Tty(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


async def test_progress_redraws_in_place_on_a_terminal(kit: Any) -> None:
    """On a terminal the bar is redrawn with carriage returns and ends with the status."""
    stream = Tty()
    script = {"a": Reply(), "b": Reply(status="failed")}
    await kit.run(
        kit.suite(kit.case("a"), kit.case("b")),
        script,
        kit.options(parallel=1),
        sinks=[ProgressSink(stream=stream)],
    )
    text = stream.getvalue()
    assert text.startswith("runner-suite against scripted: 2 runs\n")
    assert text.count("\r") == 2
    assert "\r[" + "#" * 15 + "-" * 15 + "] 1/2 runs  passed 1 failed 0 error 0" in text
    assert text.endswith("] 2/2 runs  passed 1 failed 1 error 0 - completed\n")


async def test_progress_prints_occasional_lines_when_not_a_terminal(kit: Any) -> None:
    """Without a terminal about ten lines are printed, not one per run, and no \\r."""
    stream = io.StringIO()
    await kit.run(
        kit.suite(kit.case("a", runs=40)),
        Reply(),
        kit.options(),
        sinks=[ProgressSink(stream=stream)],
    )
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert 5 <= len(lines) <= 12
    assert lines[-1].endswith("40/40 runs  passed 40 failed 0 error 0 - completed")


async def test_exit_codes_follow_the_worst_verdict(kit: Any) -> None:
    """0 all passed, 1 a failure, 3 an error beats a failure."""
    from atp_core.errors import AgentCrashed

    passed, _, _ = await kit.run(kit.suite(kit.case("a")), Reply(), kit.options())
    assert exit_code(passed) == 0
    mixed = {"a": Reply(status="failed"), "b": Reply(raises=AgentCrashed("boom")), "c": Reply()}
    result, _, _ = await kit.run(
        kit.suite(kit.case("a"), kit.case("b"), kit.case("c")), mixed, kit.options()
    )
    assert result.counts == {"passed": 1, "failed": 1, "error": 1}
    assert exit_code(result) == 3
