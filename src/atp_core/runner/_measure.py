"""What a run consumed, read from the response metrics and, failing that, the event trace.

Each function returns ``None`` when the quantity cannot be measured: nothing reported it.
"""

from __future__ import annotations

from collections.abc import Sequence

from atp_core.protocol import Event, Metrics

STEP_EVENTS = ("tool_call", "llm_request")


def steps_of(metrics: Metrics, events: Sequence[Event]) -> int | None:
    """Steps: ``total_steps``, else tool plus LLM calls reported, else counted in the trace."""
    if metrics.total_steps is not None:
        return metrics.total_steps
    if metrics.tool_calls is not None or metrics.llm_calls is not None:
        return (metrics.tool_calls or 0) + (metrics.llm_calls or 0)
    if events:
        return sum(e.event_type in STEP_EVENTS for e in events)
    return None


def tokens_of(metrics: Metrics, events: Sequence[Event]) -> int | None:
    """Tokens: ``total_tokens``, else input plus output, else summed over ``llm_request`` events."""
    if metrics.total_tokens is not None:
        return metrics.total_tokens
    if metrics.input_tokens is not None or metrics.output_tokens is not None:
        return (metrics.input_tokens or 0) + (metrics.output_tokens or 0)
    counted = [_event_tokens(e) for e in events if e.event_type == "llm_request"]
    known = [c for c in counted if c is not None]
    return sum(known) if known else None


def _event_tokens(event: Event) -> int | None:
    parts = [event.payload.get("input_tokens"), event.payload.get("output_tokens")]
    numbers = [p for p in parts if isinstance(p, int) and not isinstance(p, bool)]
    return sum(numbers) if numbers else None


def cost_of(metrics: Metrics) -> float | None:
    """Cost in USD as the agent reported it."""
    return metrics.cost_usd


def tools_used(events: Sequence[Event]) -> list[str]:
    """The tool of every ``tool_call`` event, in order; unnamed calls appear as ``""``."""
    out = []
    for event in events:
        if event.event_type == "tool_call":
            tool = event.payload.get("tool")
            out.append(tool if isinstance(tool, str) else "")
    return out
