"""Options every renderer receives besides the result itself."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from atp_core.protocol import SuiteRunResult
from atp_core.reporters._baseline import BaselineComparison


@attrs.frozen(kw_only=True)
class ReportOptions:
    """What a renderer may be asked for: colour (console only) and a baseline comparison."""

    color: bool = False
    baseline: BaselineComparison | None = None


Renderer = Callable[[SuiteRunResult, ReportOptions], str]
