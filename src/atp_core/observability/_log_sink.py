"""LogSink: one structured log line per runner event, with the correlation IDs."""

from __future__ import annotations

import structlog

from atp_core.protocol import (
    RunFinished,
    RunnerEvent,
    RunStarted,
    SuiteFinished,
    SuiteStarted,
    TestFinished,
)

log = structlog.get_logger("atp.run")


class LogSink:
    """A ``RunSink`` that logs the suite run as it happens.

    Progress is logged at DEBUG (the terminal already has the progress bar and the report);
    a run the agent or the infrastructure broke is a WARNING with its error kind.
    """

    async def handle(self, event: RunnerEvent) -> None:
        """Log one runner event."""
        sid = event.suite_run_id
        if isinstance(event, SuiteStarted):
            log.debug(
                "suite run started",
                suite_run_id=sid,
                suite=event.suite,
                agent=event.agent,
                total_runs=event.total_runs,
            )
        elif isinstance(event, RunStarted):
            log.debug(
                "run started", suite_run_id=sid, test_id=event.test_id, run_number=event.run_number
            )
        elif isinstance(event, RunFinished):
            r = event.record
            emit = log.warning if r.error_kind else log.debug
            emit(
                "run finished",
                suite_run_id=sid,
                test_id=r.test_id,
                run_number=r.run_number,
                verdict=r.verdict,
                score=round(r.score, 4),
                status=r.status,
                error_kind=r.error_kind,
                duration_seconds=round(r.duration_seconds, 4),
            )
        elif isinstance(event, TestFinished):
            t = event.result
            log.debug(
                "test finished",
                suite_run_id=sid,
                test_id=t.test_id,
                verdict=t.verdict,
                pass_rate=t.stats.pass_rate,
                flaky=t.stats.flaky,
            )
        elif isinstance(event, SuiteFinished):
            log.debug(
                "suite run finished",
                suite_run_id=sid,
                status=event.result.status,
                **event.result.counts,
            )
