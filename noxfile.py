"""Developer sessions: lint, typecheck, imports, tests, bench, demo.

Sessions run in the project's own virtual environment (``.venv``, made by the README's
commands) instead of building one venv per session: see docs/adr/0001-nox-in-project-venv.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["lint", "typecheck", "imports", "tests"]
ROOT = Path(__file__).parent
PY = sys.executable


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint (the curated rule set in pyproject.toml)."""
    session.run(PY, "-m", "ruff", "check", "src", "tests", "benchmarks", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the three packages."""
    session.run(PY, "-m", "mypy")


@nox.session
def imports(session: nox.Session) -> None:
    """import-linter: the layers of atp_core and its independence from the shells."""
    session.run(str(Path(PY).parent / "lint-imports"))


@nox.session
def system(session: nox.Session) -> None:
    """Install the system packages and start the services the tests need."""
    session.run("bash", str(ROOT / "scripts" / "ensure-system.sh"), external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite with branch coverage (PostgreSQL and Chromium included)."""
    session.run("bash", str(ROOT / "scripts" / "ensure-system.sh"), external=True)
    env = {"ATP_REQUIRE_SERVICES": "1"} if os.environ.get("CI") else {}
    session.run(PY, "-m", "pytest", "-q", "--cov", "--cov-report=term:skip-covered",
                *session.posargs, env=env)



@nox.session
def bench(session: nox.Session) -> None:
    """Performance benchmarks (benchmarks/perf); prints ratios measured in one run."""
    session.run(PY, str(ROOT / "benchmarks" / "perf" / "run_all.py"), *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The demo suite against the built-in agents."""
    session.run(str(Path(PY).parent / "atp"), "demo")
