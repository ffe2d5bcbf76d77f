"""The process exit code of a suite run (SPEC §3)."""

from __future__ import annotations

from atp_core.protocol import SuiteRunResult

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_ERROR = 3
EXIT_INTERRUPTED = 130


def exit_code(result: SuiteRunResult) -> int:
    """130 if interrupted; else 3 if some test has verdict error; 1 if some failed; else 0.

    2 (invalid suite or command line) is the CLI's to return: a run never produces it.
    """
    if result.status == "interrupted":
        return EXIT_INTERRUPTED
    verdicts = {t.verdict for t in result.tests}
    if "error" in verdicts:
        return EXIT_ERROR
    if "failed" in verdicts:
        return EXIT_FAILED
    return EXIT_PASSED
