"""The public surface of ``atp_core.suite``."""

from __future__ import annotations

import atp_core.suite as suite


def test_all_is_sorted_and_complete() -> None:
    """``__all__`` is sorted and every name in it exists."""
    assert suite.__all__ == sorted(suite.__all__)
    for name in suite.__all__:
        assert hasattr(suite, name), name
