"""The well-behaved built-in agents: echo, file-ops, calculator and flaky."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import AsyncGenerator
from pathlib import Path, PurePosixPath
from typing import Any

from atp_core.agents._calc import CalcError, calculate, find_expression
from atp_core.agents._core import Emitter, echo_artifacts, file_artifact, usage
from atp_core.protocol import Artifact, Event, Request, Response, StructuredArtifact

_CREATE = re.compile(
    r"""\bcreate\s+(?:an?\s+)?(?:file\s+)?(?:(?:named|called)\s+)?
        (?P<path>"[^"]+"|'[^']+'|[^\s"']+)\s+
        (?:with\s+(?:the\s+)?(?:content|text)s?\s*:?|containing:?)\s*
        (?P<content>"(?:[^"\\]|\\.)*"|'[^']*'|[^;\n]*)""",
    re.IGNORECASE | re.VERBOSE,
)


async def echo(request: Request, params: dict[str, Any]) -> AsyncGenerator[Event | Response, None]:
    """Answer with the task itself, as structured data and as ``echo.txt``."""
    started = time.monotonic()
    text = request.task.description
    metrics = usage(text, text, steps=1, tool_calls=0, seconds=time.monotonic() - started)
    yield Emitter(request).response(echo_artifacts(request), metrics)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            decoded = json.loads(text)
        except ValueError:
            return text[1:-1]
        return str(decoded)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    return text


def file_instructions(request: Request) -> list[tuple[str, str]]:
    """The (path, content) pairs a task asks for: ``input_data.files``, then the description."""
    files = (request.task.input_data or {}).get("files") or {}
    pairs = [
        (str(path), content if isinstance(content, str) else json.dumps(content))
        for path, content in dict(files).items()
    ]
    for match in _CREATE.finditer(request.task.description):
        pairs.append((_unquote(match["path"]), _unquote(match["content"])))
    return pairs


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


async def file_ops(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Write the files the task asks for into the workspace and return them as artifacts."""
    started = time.monotonic()
    emit = Emitter(request)
    pairs = file_instructions(request)
    workspace = request.context.workspace_path if request.context else None
    problem = None
    if not pairs:
        problem = "no file instructions found (say 'create NAME with content TEXT')"
    elif not workspace:
        problem = "file-ops needs context.workspace_path to write files"
    if problem:
        metrics = usage(request.task.description, "", 1, 0, time.monotonic() - started)
        yield emit.response([], metrics, status="failed", error=problem)
        return
    assert workspace is not None
    yield emit.event(
        "reasoning", thought=f"{len(pairs)} file(s) to write", plan=[p for p, _ in pairs], step=1
    )
    artifacts: list[Artifact] = []
    errors: list[str] = []
    for path, content in pairs:
        event, error = _write(emit, Path(workspace), path, content)
        yield event
        if error:
            errors.append(error)
        else:
            artifacts.append(file_artifact(path, content))
    output = "".join(content for _, content in pairs)
    metrics = usage(
        request.task.description, output, len(pairs) + 1, len(pairs), time.monotonic() - started
    )
    status = "completed" if not errors else ("partial" if artifacts else "failed")
    yield emit.response(artifacts, metrics, status=status, error="; ".join(errors) or None)


def _write(emit: Emitter, root: Path, path: str, content: str) -> tuple[Event, str | None]:
    started = time.monotonic()
    tool_input = {"path": path, "content": content}
    if not _safe_relative(path):
        error = f"refusing to write {path!r}: not a relative path inside the workspace"
    else:
        try:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            written = target.write_text(content, encoding="utf-8")
        except OSError as exc:
            error = f"cannot write {path!r}: {exc.strerror or exc}"
        else:
            output = {"path": path, "bytes_written": written}
            elapsed = (time.monotonic() - started) * 1000
            return emit.tool_call("write_file", tool_input, output, elapsed), None
    elapsed = (time.monotonic() - started) * 1000
    return emit.tool_call("write_file", tool_input, None, elapsed, error=error), error


async def calculator(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Evaluate the arithmetic in the task; answer ``{"answer": n}`` and ``answer.txt``."""
    started = time.monotonic()
    emit = Emitter(request)
    given = (request.task.input_data or {}).get("expression")
    expression = str(given) if given is not None else find_expression(request.task.description)
    if expression is None:
        metrics = usage(request.task.description, "", 1, 0, time.monotonic() - started)
        yield emit.response([], metrics, status="failed", error="no arithmetic found in the task")
        return
    yield emit.event(
        "reasoning",
        thought=f"The task asks for {expression}",
        plan="evaluate it with the calculator tool",
        step=1,
    )
    tool_started = time.monotonic()
    try:
        answer = calculate(expression)
    except CalcError as exc:
        elapsed = (time.monotonic() - tool_started) * 1000
        yield emit.tool_call("calculator", {"expression": expression}, None, elapsed, str(exc))
        metrics = usage(request.task.description, "", 2, 1, time.monotonic() - started)
        yield emit.response([], metrics, status="failed", error=f"cannot calculate: {exc}")
        return
    elapsed = (time.monotonic() - tool_started) * 1000
    yield emit.tool_call("calculator", {"expression": expression}, {"result": answer}, elapsed)
    yield emit.event("reasoning", thought=f"The answer is {answer}", plan=None, step=2)
    artifacts: list[Artifact] = [
        StructuredArtifact(name="answer", data={"answer": answer}),
        file_artifact("answer.txt", str(answer)),
    ]
    metrics = usage(request.task.description, str(answer), 3, 1, time.monotonic() - started)
    yield emit.response(artifacts, metrics)


def flaky_draw(request: Request, seed: object) -> float:
    """A draw in [0, 1) fixed by (seed, test, run number): reproducible, yet varying by run."""
    meta = request.metadata
    if "run_number" in meta:
        key = f"{seed}:{meta.get('test_id', '')}:{meta['run_number']}"
    else:
        key = f"{seed}:{request.task_id}"
    return random.Random(key).random()


async def flaky(request: Request, params: dict[str, Any]) -> AsyncGenerator[Event | Response, None]:
    """Fail with probability ``failure_rate``; otherwise answer like ``echo``."""
    rate = float(params["failure_rate"])
    draw = flaky_draw(request, params["seed"])
    if draw >= rate:
        async for item in echo(request, params):
            yield item
        return
    emit = Emitter(request)
    message = f"flaky agent failed on purpose (draw {draw:.4f} < failure_rate {rate:g})"
    yield emit.event("error", error_type="flaky", message=message, recoverable=False)
    text = request.task.description
    yield emit.response([], usage(text, "", 1, 0, 0.0), status="failed", error=message)
