"""Entry point of the ``atp`` command (``python -m atp_cli``).

Parsing is light: each command's module imports what it needs only when it runs, so
``atp --version`` and ``atp --help`` stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from atp_cli._errors import report_error
from atp_cli._parser import build_parser

EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``atp`` command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("atp: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        return report_error(exc, debug=getattr(args, "debug", False))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
