"""Turn exceptions into one clear message and an exit code, without a traceback."""

from __future__ import annotations

import sys
import traceback

EXIT_INVALID = 2
EXIT_INFRA = 3


def report_error(exc: BaseException, *, debug: bool = False) -> int:
    """Print ``exc`` for a user and return the exit code it maps to."""
    from atp_core.errors import AdapterError, AtpError, ConfigError, SuiteError

    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]

    if isinstance(exc, SuiteError):
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        count = len(exc.problems)
        print(f"atp: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(exc, ConfigError):
        print(f"atp: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(exc, AdapterError | AtpError):
        print(f"atp: error: {exc}", file=sys.stderr)
        return EXIT_INFRA
    if isinstance(exc, FileNotFoundError):
        print(f"atp: error: no such file: {exc.filename}", file=sys.stderr)
        return EXIT_INVALID
    if debug:
        traceback.print_exception(exc)
    print(f"atp: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    print("atp: run again with --debug for the traceback, and please report it", file=sys.stderr)
    return 70
