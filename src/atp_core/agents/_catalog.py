"""The catalogue of built-in agents and the agent specs that target them."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from atp_core.agents import _basic, _misbehaving, _reference
from atp_core.agents._core import AgentInfo
from atp_core.errors import ConfigError
from atp_core.protocol import AgentSpec

ENTRY_TARGET = "atp_core.agents.entry:run"

AGENTS: dict[str, AgentInfo] = {
    info.name: info
    for info in (
        AgentInfo(
            name="echo",
            description="Answers with the task description as structured data and echo.txt.",
            handler=_basic.echo,
        ),
        AgentInfo(
            name="file-ops",
            description="Writes the files a task asks for ('create NAME with content TEXT' or "
            "input_data.files) into the workspace and returns them as artifacts.",
            handler=_basic.file_ops,
        ),
        AgentInfo(
            name="calculator",
            description="Evaluates the arithmetic in the task; answers {'answer': n} and "
            "answer.txt.",
            handler=_basic.calculator,
        ),
        AgentInfo(
            name="flaky",
            description="Fails with probability failure_rate (seeded per seed, test and run); "
            "otherwise behaves like echo.",
            handler=_basic.flaky,
            params={"failure_rate": 0.5, "seed": 0},
        ),
        AgentInfo(
            name="hang",
            description="Never answers; starts `children` sleeping child processes first.",
            handler=_misbehaving.hang,
            params={"children": 0},
        ),
        AgentInfo(
            name="crash",
            description="Ends abruptly: half a JSON document, then exit code 3.",
            handler=_misbehaving.crash,
            params={"exit_code": 3},
        ),
        AgentInfo(
            name="garbage",
            description="Answers with text that is not JSON.",
            handler=_misbehaving.garbage,
        ),
        AgentInfo(
            name="flood",
            description="Answers with `megabytes` (50) MB of output.",
            handler=_misbehaving.flood,
            params={"megabytes": 50},
        ),
        AgentInfo(
            name="html-injector",
            description="Puts <script> tags into its artifacts and event payloads.",
            handler=_misbehaving.html_injector,
        ),
        AgentInfo(
            name="ref-trivial",
            description="Benchmark reference: completes at once with no artifacts.",
            handler=_reference.ref_trivial,
        ),
        AgentInfo(
            name="ref-cheater",
            description="Benchmark reference: answers in the expected format with fixed text "
            "and never calls a tool; must score low on every benchmark.",
            handler=_reference.ref_cheater,
        ),
        AgentInfo(
            name="ref-solver",
            description="Benchmark reference: solves the shipped benchmark tasks (computes "
            "answers; a known-solution table for coding), the upper bound.",
            handler=_reference.ref_solver,
        ),
    )
}


def resolve_agent(
    name: str, params: Mapping[str, Any] | None = None
) -> tuple[AgentInfo, dict[str, Any]]:
    """The agent called ``name`` and its full parameters; ``ConfigError`` if either is unknown."""
    info = AGENTS.get(name)
    if info is None:
        raise ConfigError(f"unknown built-in agent {name!r}; known: {', '.join(sorted(AGENTS))}")
    given = dict(params or {})
    unknown = sorted(set(given) - set(info.params))
    if unknown:
        accepted = ", ".join(sorted(info.params)) or "none"
        raise ConfigError(
            f"built-in agent {name!r} has no parameter {', '.join(unknown)}; accepted: {accepted}"
        )
    return info, {**info.params, **given}


def builtin_spec(
    name: str,
    transport: str = "python",
    endpoint: str | None = None,
    *,
    options: Mapping[str, Any] | None = None,
    **params: Any,
) -> AgentSpec:
    """An agent spec that runs the built-in agent ``name`` over ``transport``.

    Args:
        name: a key of ``AGENTS``.
        transport: ``python`` (in-process), ``cli`` (``python -m atp_core.agents stdio``) or
            ``http`` (an agent already served by ``serve_http`` at ``endpoint``).
        endpoint: the URL to POST to; required for, and only for, ``http``.
        options: extra adapter config, e.g. ``{"timeout_seconds": 5}``.
        **params: the agent's parameters (for ``http`` they are given to ``serve_http``).
    """
    resolve_agent(name, params)
    extra = dict(options or {})
    if transport == "python":
        config = {"target": ENTRY_TARGET, "kwargs": {"agent": name, **params}}
    elif transport == "cli":
        flags = [arg for k, v in params.items() for arg in ("--param", f"{k}={json.dumps(v)}")]
        args = ["-m", "atp_core.agents", "stdio", name, *flags]
        config = {"command": sys.executable, "args": args}
    elif transport == "http":
        if endpoint is None:
            raise ConfigError("an http built-in agent needs the endpoint it is served at")
        if params:
            raise ConfigError("parameters of an http built-in agent are given to serve_http")
        config = {"endpoint": endpoint}
    else:
        raise ConfigError(f"unknown transport {transport!r}; use python, cli or http")
    if endpoint is not None and transport != "http":
        raise ConfigError(f"endpoint is only for the http transport, not {transport!r}")
    return AgentSpec(name=f"builtin-{name}", type=transport, config={**config, **extra})


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``["k=v", ...]`` to a dict; each value is read as JSON when it parses, else as text."""
    params: dict[str, Any] = {}
    for item in items:
        key, eq, raw = item.partition("=")
        if not (key and eq):
            raise ConfigError(f"parameter must look like key=value, got {item!r}")
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params
