"""``example-summary``: a plain-text report, one line per test."""

from __future__ import annotations

from typing import ClassVar

import attrs

from atp_core.protocol import SuiteRunResult


@attrs.frozen(kw_only=True)
class SummaryConfig:
    """What the summary shows."""

    title: str = attrs.field(default="ATP summary", metadata={"description": "first line"})
    show_reasons: bool = attrs.field(default=True,
                                     metadata={"description": "add each test's reason"})


class SummaryReporter:
    """A short plain-text summary of a suite run."""

    atp_plugin_api: ClassVar[str] = ">=1.0,<2"
    config_type: ClassVar[type[SummaryConfig]] = SummaryConfig

    def __init__(self, config: SummaryConfig) -> None:
        self.config = config

    def render(self, result: SuiteRunResult) -> str:
        """The title, the suite and agent, one line per test and the counts."""
        lines = [self.config.title, f"suite {result.suite} / agent {result.agent}"]
        for test in result.tests:
            score = f"mean score {test.stats.mean_score:.2f}"
            line = f"{test.verdict.upper():<7} {test.test_id} ({score})"
            lines.append(f"{line}: {test.reason}" if self.config.show_reasons else line)
        counts = result.counts
        lines.append(f"{counts['passed']} passed, {counts['failed']} failed, "
                     f"{counts['error']} error")
        return "\n".join(lines) + "\n"
