"""Start-up time of the ``atp`` command: ``atp --version`` and a one-test ``atp run``.

Each command runs ``--repeat`` times as a fresh process (the venv's ``bin/atp``) and the
median wall time is reported. The one-test run uses the in-process echo agent from the
suite's own ``agents:`` block (``PYTHONPATH`` points at this directory), in a temporary
working directory, measured twice: as ``atp run`` does by default (the results go to a new
SQLite store under ``./.atp``) and with ``--no-store``. Targets (issue 2): 0.3 s and 1 s.
The slowest top-level imports of the default run (``python -X importtime``) are listed.

Usage: ``python benchmarks/perf/bench_startup.py [--repeat N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _common import HERE, echo_suite_yaml, table, verdict

VERSION_TARGET = 0.3
RUN_TARGET = 1.0


def atp_command() -> list[str]:
    """The venv's ``atp`` script next to this interpreter, else ``python -m atp_cli``."""
    script = Path(sys.executable).parent / "atp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "atp_cli"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    env.pop("ATP_DATABASE_URL", None)
    return env


def wall_time(argv: Sequence[str], cwd: Path, repeat: int) -> float:
    """Median seconds of ``argv`` run ``repeat`` times; a failing command stops the bench."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=_env(), capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"bench_startup: {argv} exited {done.returncode}: {done.stderr}")
    return statistics.median(times)


def slowest_imports(argv: Sequence[str], cwd: Path, top: int = 6) -> list[tuple[str, float]]:
    """The ``top`` top-level imports by cumulative import time (ms) of one run of argv."""
    python = [sys.executable, "-X", "importtime", "-m", "atp_cli", *argv[1:]]
    done = subprocess.run(python, cwd=cwd, env=_env(), capture_output=True, text=True)
    cumulative: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cum, name = line.split("|")
        if cum.strip().isdigit() and not name.startswith("  "):  # imported at top level
            cumulative[name.strip()] = int(cum) / 1000
    return sorted(cumulative.items(), key=lambda kv: -kv[1])[:top]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else args.repeat
    atp = atp_command()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "one.yaml").write_text(echo_suite_yaml(1))
        run = [*atp, "run", "one.yaml", "--no-progress"]
        version = wall_time([*atp, "--version"], cwd, repeat)
        stored = wall_time(run, cwd, repeat)
        unstored = wall_time([*run, "--no-store"], cwd, repeat)
        imports = slowest_imports(run, cwd)
    rows = [
        (
            "atp --version",
            f"{version:.3f} s",
            f"<= {VERSION_TARGET:g} s",
            verdict(version <= VERSION_TARGET),
        ),
        (
            "atp run, one test (stored)",
            f"{stored:.3f} s",
            f"<= {RUN_TARGET:g} s",
            verdict(stored <= RUN_TARGET),
        ),
        (
            "atp run, one test --no-store",
            f"{unstored:.3f} s",
            f"<= {RUN_TARGET:g} s",
            verdict(unstored <= RUN_TARGET),
        ),
    ]
    print(table(f"start-up: median of {repeat} fresh processes ({' '.join(atp)})", rows))
    print(
        "slowest top-level imports of the one-test run (cumulative ms): "
        + ", ".join(f"{name} {ms:.0f}" for name, ms in imports)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
