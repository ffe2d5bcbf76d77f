"""The CLI starts fast: no heavy library is imported to print help or the version."""

from __future__ import annotations

import subprocess
import sys

from atp_core import __version__

HEAVY = ("scipy", "jsonschema", "piccolo", "starlette", "jinja2", "httpx", "mcp", "playwright",
         "numpy", "ruamel", "structlog", "opentelemetry", "prometheus_client", "boto3", "saml2")


def test_version_prints_the_package_version(atp) -> None:
    """``atp --version`` prints the version and exits 0."""
    out = atp("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"atp {__version__}"


def test_help_imports_no_heavy_library() -> None:
    """Building the parser and printing help imports none of the heavy libraries."""
    code = (
        "import sys, contextlib, io\n"
        "from atp_cli.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_command_prints_usage_and_exits_2(atp) -> None:
    """``atp`` alone prints usage to stderr with exit 2."""
    out = atp()
    assert out.returncode == 2
    assert "usage: atp" in out.stderr


def test_unknown_flag_is_exit_2(atp) -> None:
    """argparse errors are command-line errors: exit 2."""
    out = atp("run", "--no-such-flag")
    assert out.returncode == 2
