"""``atp agent``: the built-in agents from the command line."""

from __future__ import annotations

from tests.cli.conftest import Atp


def test_agent_stdio_names_the_param_flag_in_a_malformed_pair_error(atp: Atp) -> None:
    """A --param without '=' is reported under its own flag name, exit 2."""
    out = atp("agent", "stdio", "echo", "--param", "junk")
    assert out.returncode == 2, out.stderr
    assert "--param expects KEY=VALUE, got 'junk'" in out.stderr
