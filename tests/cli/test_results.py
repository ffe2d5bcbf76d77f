"""``atp results``: reading stored suite runs back, and its flags' validation."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Atp


def test_results_list_rejects_a_since_that_is_not_iso_8601(atp: Atp, tmp_path: Path) -> None:
    """A malformed --since is a command-line error (exit 2, one line), not an internal error."""
    out = atp("results", "list", "--since", "garbage", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert out.returncode == 2, out.stderr
    assert "--since expects an ISO-8601 date or time" in out.stderr
    assert "'garbage'" in out.stderr
    assert "internal error" not in out.stderr


def test_results_list_accepts_an_iso_8601_since(atp: Atp, tmp_path: Path) -> None:
    """A well-formed --since filters the listing and exits 0."""
    out = atp(
        "results", "list", "--since", "2026-01-01T00:00", "--db", f"sqlite:///{tmp_path / 'a.db'}"
    )
    assert out.returncode == 0, out.stderr
    assert "0 of 0 suite runs" in out.stdout
