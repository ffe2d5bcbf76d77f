"""``ScriptedAgent``: an adapter whose replies are written by the test."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar

import anyio
import attrs

from atp_core.errors import AdapterError
from atp_core.protocol import (
    Adapter,
    Artifact,
    Event,
    EventParser,
    EventSink,
    Metrics,
    Request,
    Response,
)


@attrs.frozen(kw_only=True)
class Reply:
    """What the scripted agent does for one request.

    Attributes:
        status: The response status.
        artifacts: The response artifacts.
        metrics: The response metrics.
        error: The response's error text.
        events: Events streamed before answering; a mapping is parsed like one from the
            wire (``task_id``, ``sequence`` and ``timestamp`` are filled in).
        warnings: Protocol warnings reported to the sink.
        delay: Seconds to wait (cancellably) before answering.
        raises: An infrastructure failure to raise instead of answering.
        task_id: Answer with this task id instead of the request's.
    """

    status: str = "completed"
    artifacts: tuple[Artifact, ...] = ()
    metrics: Metrics = attrs.Factory(Metrics)
    error: str | None = None
    events: tuple[Event | Mapping[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    delay: float = 0.0
    raises: AdapterError | None = None
    task_id: str | None = None


Script = (
    Callable[[Request], Reply | Awaitable[Reply]] | Mapping[str, Reply | Sequence[Reply]] | Reply
)


@attrs.frozen
class ScriptedConfig:
    """The scripted agent has no configuration of its own."""


class ScriptedAgent(Adapter):
    """An in-memory agent: replies come from a script.

    The script is one ``Reply`` for every request; a mapping from test id to a reply or a
    list of replies (indexed by run number, the last one repeating); or a function of the
    request returning a reply (sync or async). The agent records every request, counts
    how many calls run at once (``max_active``) and whether it was closed.
    """

    type_name: ClassVar[str] = "scripted"
    config_type: ClassVar[type[Any]] = ScriptedConfig

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[Request] = []
        self.active = 0
        self.max_active = 0
        self.cancelled = 0
        self.closed = False

    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Play the scripted reply for ``request``."""
        self.requests.append(request)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            reply = await self._reply_for(request)
            return await _play(reply, request, sink)
        except anyio.get_cancelled_exc_class():
            self.cancelled += 1
            raise
        finally:
            self.active -= 1

    async def aclose(self) -> None:
        """Mark the agent closed."""
        self.closed = True

    async def _reply_for(self, request: Request) -> Reply:
        script = self.script
        if isinstance(script, Reply):
            return script
        if isinstance(script, Mapping):
            entry = script[str(request.metadata["test_id"])]
            if isinstance(entry, Reply):
                return entry
            index = min(int(request.metadata["run_number"]), len(entry)) - 1
            return entry[index]
        produced = script(request)
        if inspect.isawaitable(produced):
            return await produced
        return produced


async def _play(reply: Reply, request: Request, sink: EventSink) -> Response:
    parser = EventParser(task_id=request.task_id)
    for item in reply.events:
        event = item if isinstance(item, Event) else parser.parse(dict(item))
        if event is not None:
            sink.event(event)
    for warning in (*parser.warnings, *reply.warnings):
        sink.warning(warning)
    if reply.delay:
        await anyio.sleep(reply.delay)
    if reply.raises is not None:
        raise reply.raises
    return Response(
        task_id=reply.task_id or request.task_id,
        status=reply.status,  # type: ignore[arg-type]
        artifacts=list(reply.artifacts),
        metrics=reply.metrics,
        error=reply.error,
    )
