"""README's Quick start is what CI runs, and its links point at real pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_start_holds_exactly_two_commands_and_ci_runs_the_second() -> None:
    """The first block under Quick start has two commands; .ci/run runs the second."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "quickstart.py"), "test"],
                         capture_output=True, text=True, check=True)
    demo = subprocess.run([sys.executable, str(ROOT / "scripts" / "quickstart.py"), "demo"],
                          capture_output=True, text=True, check=True)
    assert demo.stdout.startswith("python3.12 -m venv .venv")
    assert demo.stdout.strip().endswith("atp demo")
    assert "nox" in out.stdout
    assert "tests" in out.stdout
    assert "scripts/quickstart.py test" in (ROOT / ".ci" / "run").read_text()


def test_every_linked_doc_exists() -> None:
    """Each relative link in README.md and docs/*.md names a file that exists."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                missing.append(f"{page.relative_to(ROOT)} -> {target}")
    assert missing == []
