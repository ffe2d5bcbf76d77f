"""Choose the agent(s) a run targets: the suite's ``agents:`` block, or CLI flags."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from atp_core.errors import ConfigError
from atp_core.protocol import AgentSpec, Suite

BUILTIN_PREFIX = "builtin:"


def parse_pairs(pairs: Sequence[str], flag: str = "--adapter-config") -> dict[str, Any]:
    """Turn ``K=V`` flags into a config dict; dotted keys nest, values may be JSON.

    ``flag`` names the option in the error about a pair without ``=``.
    """
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"{flag} expects KEY=VALUE, got {pair!r}")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        node = config
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return config


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _builtin(name: str, config: dict[str, Any]) -> AgentSpec:
    from atp_core.agents import builtin_spec

    agent, _, transport = name.removeprefix(BUILTIN_PREFIX).partition(":")
    return builtin_spec(agent, transport or "python", **config)


def select_agents(
    suite: Suite, name: str | None, adapter: str | None, pairs: Sequence[str]
) -> list[AgentSpec]:
    """The agents to run, from ``--agent``/``--adapter``/``--adapter-config`` and the suite."""
    extra = parse_pairs(pairs)
    if name and name.startswith(BUILTIN_PREFIX):
        return [_builtin(name, extra)]
    if name:
        found = [a for a in suite.agents if a.name == name]
        if not found and not adapter:
            known = ", ".join(a.name for a in suite.agents) or "none"
            raise ConfigError(
                f"agent {name!r} is not in the suite's agents: block (known: {known})"
            )
        if found:
            base = found[0]
            if adapter and adapter != base.type:
                return [AgentSpec(name=name, type=adapter, config=extra)]
            return [AgentSpec(name=base.name, type=base.type, config=_merge(base.config, extra))]
    if adapter:
        return [AgentSpec(name=name or adapter, type=adapter, config=extra)]
    if not suite.agents:
        raise ConfigError(
            "the suite has no agents: block; choose one with --agent builtin:NAME or --adapter TYPE"
        )
    if extra:
        raise ConfigError("--adapter-config needs --agent NAME or --adapter TYPE to apply to")
    return list(suite.agents)


def validate_agents(agents: Sequence[AgentSpec]) -> None:
    """Check every agent's adapter type and config before any agent is called."""
    from atp_core.adapters._registry import build_config

    for agent in agents:
        try:
            build_config(agent.type, agent.config)
        except ConfigError as exc:
            raise ConfigError(f"agent {agent.name!r}: {exc}") from exc
