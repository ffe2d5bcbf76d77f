"""The ``cli`` adapter: run the agent as a process speaking ATP over stdio.

The request goes to stdin (then stdin is closed); events arrive as JSON lines on stderr;
the response is the JSON document on stdout. Both pipes are read at once so neither can
fill up and stall the agent. The agent runs in its own session, so on deadline, cancel or
flood the whole process group is killed and no child outlives the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import anyio
import attrs
from anyio.abc import Process

from atp_core.adapters._messages import MessageStream, snippet
from atp_core.adapters._options import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    masked,
    positive,
    run_deadline,
)
from atp_core.adapters._process import (
    DEFAULT_ALLOWED_ENV,
    StderrCollector,
    StdoutCollector,
    child_environment,
    exit_description,
    feed_stdin,
    stop_process,
)
from atp_core.adapters._streams import ByteBudget
from atp_core.errors import AgentCrashed, AgentProtocolError, AgentTimeout, AgentUnreachable
from atp_core.protocol import (
    Adapter,
    EventSink,
    Request,
    Response,
    outbound_environment,
    unstructure,
)


def _not_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


@attrs.frozen(kw_only=True)
class CliConfig:
    """Config of the ``cli`` adapter; environment values are never shown (they may be secrets)."""

    command: str = attrs.field(validator=_not_empty)
    args: list[str] = attrs.Factory(list)
    working_dir: str | None = None
    environment: dict[str, str] = attrs.field(factory=dict, repr=masked)
    inherit_environment: bool = False
    allowed_env_vars: list[str] = attrs.Factory(lambda: list(DEFAULT_ALLOWED_ENV))
    timeout_seconds: float = attrs.field(default=DEFAULT_TIMEOUT_SECONDS, validator=positive)
    max_output_bytes: int = attrs.field(default=DEFAULT_MAX_BYTES, validator=positive)


@attrs.frozen(kw_only=True)
class _Outcome:
    stdout: bytes
    code: int
    stderr: str


class CliAdapter(Adapter):
    """Runs a command-line agent once per request."""

    type_name: ClassVar[str] = "cli"
    config_type: ClassVar[type[Any]] = CliConfig

    def __init__(self, config: CliConfig) -> None:
        self.config = config
        self._name = Path(config.command).name

    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Run the agent on ``request`` and return its response (events go to ``sink``)."""
        messages = MessageStream(request, sink)
        seconds = run_deadline(self.config.timeout_seconds, request)
        with contextlib.ExitStack() as stack:
            process = await self._start(request, self._cwd(request, stack))
            try:
                with anyio.fail_after(seconds):
                    outcome = await self._communicate(process, request, messages)
            except TimeoutError as exc:
                raise AgentTimeout(
                    f"agent {self._name!r} did not answer within {seconds:g} s"
                ) from exc
            finally:
                with anyio.CancelScope(shield=True):
                    await stop_process(process)
        return self._interpret(outcome, messages)

    def _cwd(self, request: Request, stack: contextlib.ExitStack) -> Path:
        """The working directory: configured, else the run's workspace, else a fresh temp dir."""
        chosen = self.config.working_dir or (request.context and request.context.workspace_path)
        if not chosen:
            return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="atp-cli-")))
        path = Path(chosen)
        if not path.is_dir():
            raise AgentUnreachable(f"working directory {str(path)!r} does not exist")
        return path

    async def _start(self, request: Request, cwd: Path) -> Process:
        allowed = None if self.config.inherit_environment else self.config.allowed_env_vars
        context_env = request.context.environment if request.context else None
        # The run's trace context (TRACEPARENT, ATP_RUN_ID) last: it names this very run.
        env = child_environment(
            os.environ, allowed, self.config.environment, context_env, outbound_environment()
        )
        try:
            return await anyio.open_process(
                [self.config.command, *self.config.args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise AgentUnreachable(
                f"cannot start {self.config.command!r}: {exc.strerror or exc}"
            ) from exc

    async def _communicate(
        self, process: Process, request: Request, messages: MessageStream
    ) -> _Outcome:
        assert process.stdin is not None  # all three are opened with PIPE
        assert process.stdout is not None
        assert process.stderr is not None
        limit = self.config.max_output_bytes
        out = StdoutCollector(budget=ByteBudget(limit=limit, what="stdout"))
        err = StderrCollector(messages=messages, budget=ByteBudget(limit=limit, what="stderr"))
        payload = json.dumps(unstructure(request)).encode()
        async with anyio.create_task_group() as tg:
            tg.start_soon(feed_stdin, process.stdin, payload)
            tg.start_soon(out.collect, process.stdout, tg.cancel_scope)
            tg.start_soon(err.collect, process.stderr, tg.cancel_scope)
        failure = out.error or err.error
        if failure is not None:
            raise AgentProtocolError(f"agent {self._name!r}: {failure}")
        code = await process.wait()
        return _Outcome(stdout=bytes(out.data), code=code, stderr=err.text())

    def _interpret(self, outcome: _Outcome, messages: MessageStream) -> Response:
        text = outcome.stdout.decode("utf-8", errors="replace").strip()
        data = _document(text, messages)
        stderr = f"; stderr: {snippet(outcome.stderr, 1000)}" if outcome.stderr else ""
        if data is None:
            if outcome.code != 0:
                raise AgentCrashed(
                    f"agent {self._name!r} {exit_description(outcome.code)} "
                    f"without a valid response{stderr}"
                )
            if not text:
                raise AgentProtocolError(
                    f"agent {self._name!r} exited with code 0 but wrote nothing to stdout{stderr}"
                )
            raise AgentProtocolError(
                f"agent {self._name!r} wrote something that is not a JSON response to stdout: "
                f"{snippet(text)!r}"
            )
        response = messages.response(data)
        if outcome.code != 0:
            messages.warning(
                f"agent {self._name!r} {exit_description(outcome.code)} after a valid response"
            )
        return response


def _document(text: str, messages: MessageStream) -> Any:
    """The JSON document on stdout; tolerates stray lines printed before a last-line response."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    lines = text.splitlines()
    try:
        data = json.loads(lines[-1])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    messages.warning(f"ignored {len(lines) - 1} non-JSON line(s) on stdout before the response")
    return data
