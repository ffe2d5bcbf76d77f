"""The runner facade: exported names and light imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

import atp_core.runner as runner
from atp_core.runner import RunOptions


def test_public_names_are_exported_sorted() -> None:
    """__all__ is sorted and every name resolves."""
    assert runner.__all__ == sorted(runner.__all__)
    assert all(hasattr(runner, name) for name in runner.__all__)


def test_importing_the_runner_does_not_import_scipy() -> None:
    """scipy is imported only when statistics are computed."""
    code = "import sys, atp_core.runner; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("field", ["parallel", "runs", "k"])
def test_options_reject_counts_below_one(field: str) -> None:
    """parallel, runs and k must be at least 1."""
    with pytest.raises(ValueError, match=field):
        RunOptions(**{field: 0})


def test_collector_tuning_is_restored_after_the_block_even_on_error() -> None:
    """The raised thresholds hold inside the block; the caller's come back afterwards."""
    import gc

    from atp_core.runner._gc import RUN_THRESHOLDS

    before = gc.get_threshold()
    inside: list[tuple[int, int, int]] = []

    def fail_inside() -> None:
        with runner.collector_tuned_for_runs():
            inside.append(gc.get_threshold())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert inside == [RUN_THRESHOLDS]
    assert gc.get_threshold() == before
