"""Print one of the two commands of README's ``## Quick start`` block: ``demo`` or ``test``.

CI runs the ``test`` command through this script, so the README is what CI runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart_commands(text: str) -> list[str]:
    """The command lines of the first code block under ``## Quick start``."""
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    if block is None:
        raise SystemExit("README.md: no code block under '## Quick start'")
    return [line for line in block.group(1).splitlines() if line.strip()]


def main() -> None:
    """Print the requested command."""
    which = sys.argv[1] if len(sys.argv) > 1 else "test"
    commands = quickstart_commands(README.read_text(encoding="utf-8"))
    if len(commands) != 2:
        raise SystemExit(f"README.md: Quick start must hold exactly two commands, found {commands}")
    print(commands[0] if which == "demo" else commands[1])


if __name__ == "__main__":
    main()
