"""Behavior checks over the streamed tool calls and errors (SPEC §2).

``behavior`` combines any of the checks in one assertion; ``must_use_tools``,
``forbidden_tools``, ``min_tool_calls``, ``max_tool_calls`` and ``no_errors`` are the
single-purpose forms and share the same code.
"""

from __future__ import annotations

from typing import Any, ClassVar

from atp_core.evaluators._behavior_checks import (
    Trace,
    behavior_outcomes,
    combine,
    forbidden_tools,
    max_tool_calls,
    min_tool_calls,
    must_use_tools,
    no_errors,
)
from atp_core.evaluators._behavior_config import (
    BehaviorConfig,
    MaxLimitConfig,
    MinLimitConfig,
    NoErrorsConfig,
    ToolsConfig,
)
from atp_core.protocol import AssertionSpec, CheckResult, EvalContext


class Behavior:
    """Any of the tool-call checks at once; fails if one fails, else skips if one skips."""

    config_type: ClassVar[type[Any]] = BehaviorConfig

    def __init__(self, config: BehaviorConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Run every configured check on the run's trace."""
        return combine(behavior_outcomes(self.config, Trace.of(ctx))).result(self.spec)


class MustUseTools:
    """Every listed tool was called."""

    config_type: ClassVar[type[Any]] = ToolsConfig

    def __init__(self, config: ToolsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Compare the tools called with the required ones."""
        return must_use_tools(self.config.tools, Trace.of(ctx)).result(self.spec)


class ForbiddenTools:
    """No listed tool was called."""

    config_type: ClassVar[type[Any]] = ToolsConfig

    def __init__(self, config: ToolsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Look for calls of the forbidden tools."""
        return forbidden_tools(self.config.tools, Trace.of(ctx)).result(self.spec)


class MinToolCalls:
    """At least ``limit`` tool calls."""

    config_type: ClassVar[type[Any]] = MinLimitConfig

    def __init__(self, config: MinLimitConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Count the tool calls."""
        return min_tool_calls(self.config.limit, Trace.of(ctx)).result(self.spec)


class MaxToolCalls:
    """At most ``limit`` tool calls."""

    config_type: ClassVar[type[Any]] = MaxLimitConfig

    def __init__(self, config: MaxLimitConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Count the tool calls."""
        return max_tool_calls(self.config.limit, Trace.of(ctx)).result(self.spec)


class NoErrors:
    """No error events, no failed tool calls and no error in the response."""

    config_type: ClassVar[type[Any]] = NoErrorsConfig

    def __init__(self, config: NoErrorsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Collect every error the run reported."""
        return no_errors(Trace.of(ctx)).result(self.spec)
