"""The ``python`` adapter: call an agent in this process.

The target ``module:function`` gets the ``Request`` (and the configured kwargs). It may be
sync or async; it returns a ``Response`` or a dict, or it is a (sync or async) generator that
yields events (``Event`` objects or dicts) and then the response. A sync callable runs in a
worker thread: on deadline or cancel the run ends at once, but Python cannot stop a thread,
so a sync agent that never returns keeps its thread until the process exits.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, ClassVar

import anyio
import attrs

from atp_core.adapters._messages import MessageStream
from atp_core.adapters._options import positive, run_deadline
from atp_core.errors import (
    AdapterError,
    AgentCrashed,
    AgentProtocolError,
    AgentTimeout,
    AgentUnreachable,
)
from atp_core.protocol import Adapter, Event, EventSink, Request, Response, unstructure


def _target(_: object, __: attrs.Attribute[str], value: str) -> None:
    module, colon, name = value.partition(":")
    if not (module and colon and name):
        raise ValueError(f"target must look like 'package.module:function', got {value!r}")


@attrs.frozen(kw_only=True)
class PythonConfig:
    """Config of the ``python`` adapter."""

    target: str = attrs.field(validator=_target)
    kwargs: dict[str, Any] = attrs.Factory(dict)
    timeout_seconds: float | None = attrs.field(default=None, validator=positive)


_DONE = object()


class PythonAdapter(Adapter):
    """Calls an in-process agent."""

    type_name: ClassVar[str] = "python"
    config_type: ClassVar[type[Any]] = PythonConfig
    enforces_deadline = True  # execute() runs under run_deadline(config, request)

    def __init__(self, config: PythonConfig) -> None:
        self.config = config
        self._function: Callable[..., Any] | None = None

    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Call the target with ``request`` and return its response (events go to ``sink``)."""
        function = self._resolve()
        messages = MessageStream(request, sink)
        seconds = run_deadline(self.config.timeout_seconds, request)
        try:
            with anyio.fail_after(seconds):
                return await self._drive(function, request, messages)
        except AdapterError:
            raise
        except TimeoutError as exc:
            raise AgentTimeout(
                f"agent {self.config.target} did not answer within {seconds:g} s"
            ) from exc

    def _resolve(self) -> Callable[..., Any]:
        if self._function is None:
            module_name, _, name = self.config.target.partition(":")
            try:
                function = getattr(importlib.import_module(module_name), name)
            except (ImportError, AttributeError) as exc:
                raise AgentUnreachable(f"cannot load {self.config.target}: {exc}") from exc
            if not callable(function):
                raise AgentUnreachable(f"{self.config.target} is not callable")
            self._function = function
        return self._function

    async def _drive(
        self, function: Callable[..., Any], request: Request, messages: MessageStream
    ) -> Response:
        kwargs = self.config.kwargs
        try:
            if inspect.isasyncgenfunction(function):
                return await _from_async_iter(function(request, **kwargs), messages)
            if inspect.iscoroutinefunction(function):
                result = await function(request, **kwargs)
            else:
                result = await anyio.to_thread.run_sync(
                    lambda: function(request, **kwargs), abandon_on_cancel=True
                )
            if inspect.isawaitable(result):  # e.g. a partial of an async function
                result = await result
            if inspect.isasyncgen(result):
                return await _from_async_iter(result, messages)
            if inspect.isgenerator(result):
                return await _from_sync_iter(result, messages)
        except AdapterError:
            raise
        except Exception as exc:
            raise AgentCrashed(f"agent {self.config.target} raised {_describe(exc)}") from exc
        return _final(result, messages)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _final(item: Any, messages: MessageStream) -> Response:
    """The response a plain call returned."""
    if isinstance(item, Response):
        return messages.response(unstructure(item))
    if isinstance(item, dict):
        return messages.response(item)
    raise AgentProtocolError(f"agent returned {type(item).__name__}; expected a Response or a dict")


def _item(item: Any, messages: MessageStream) -> Response | None:
    """Route one yielded item: an event goes to the sink, a response ends the run."""
    if isinstance(item, Response):
        return messages.response(unstructure(item))
    if isinstance(item, Event):
        messages.event(unstructure(item))
        return None
    if isinstance(item, dict):
        return messages.message(item)
    raise AgentProtocolError(
        f"agent yielded {type(item).__name__}; expected an Event, a Response or a dict"
    )


async def _from_async_iter(items: AsyncGenerator[Any, Any], messages: MessageStream) -> Response:
    async with contextlib.aclosing(items):
        async for item in items:
            if (response := _item(item, messages)) is not None:
                return response
    raise AgentProtocolError("agent generator ended without yielding a response")


async def _from_sync_iter(items: Generator[Any, Any, Any], messages: MessageStream) -> Response:
    try:
        while True:
            item = await anyio.to_thread.run_sync(next, items, _DONE, abandon_on_cancel=True)
            if item is _DONE:
                break
            if (response := _item(item, messages)) is not None:
                return response
    finally:
        # A generator still running in an abandoned thread cannot be closed; it ends with it.
        with contextlib.suppress(ValueError):
            items.close()
    raise AgentProtocolError("agent generator ended without yielding a response")
