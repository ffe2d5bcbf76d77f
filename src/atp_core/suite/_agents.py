"""The suite's ``agents:`` block: named agents, each with an adapter type and its config."""

from __future__ import annotations

from typing import Any

from atp_core.adapters._registry import adapter_class, adapter_types, build_config
from atp_core.errors import ConfigError
from atp_core.protocol import AgentSpec
from atp_core.suite._configs import ConfigCheck, check_config, load_failure
from atp_core.suite._fields import Reader, mapping, non_empty_text
from atp_core.suite._problems import did_you_mean
from atp_core.suite._yaml import Path

AGENT_KEYS = ("name", "type", "config")


def read_agents(reader: Reader, data: Any, path: Path) -> tuple[AgentSpec, ...]:
    """Every agent of the suite; names must be unique."""
    if data is None:
        return ()
    if not isinstance(data, list):
        reader.problems.at(path, "expected a list of agents")
        return ()
    agents: list[AgentSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        agent = read_agent(reader, item, (*path, index))
        if agent.name in seen:
            reader.problems.at((*path, index, "name"), f"duplicate agent name {agent.name!r}")
        elif agent.name:
            seen.add(agent.name)
        agents.append(agent)
    return tuple(agents)


def read_agent(reader: Reader, data: Any, path: Path) -> AgentSpec:
    """One agent ``{name, type, config}``, its config checked by the adapter."""
    block = reader.keys(data, path, AGENT_KEYS)
    agent = AgentSpec(
        name=reader.require(block, path, "name", non_empty_text, ""),
        type=reader.require(block, path, "type", non_empty_text, ""),
        config=reader.get(block, path, "config", mapping, {}),
    )
    if agent.type:
        _check_type(reader, agent, path)
    return agent


def _check_type(reader: Reader, agent: AgentSpec, path: Path) -> None:
    type_path = (*path, "type")
    if agent.type not in adapter_types():
        hint = did_you_mean(agent.type, adapter_types())
        reader.problems.at(type_path, f"unknown adapter type {agent.type!r}{hint}")
        return
    try:
        cls = adapter_class(agent.type)
    except (ImportError, AttributeError, ConfigError) as exc:
        reason = str(exc) if isinstance(exc, ConfigError) else load_failure(exc)
        reader.problems.at(type_path, f"adapter type {agent.type!r} cannot be loaded: {reason}")
        return
    check = ConfigCheck(
        what=f"adapter {agent.type!r}",
        path=(*path, "config"),
        config_type=getattr(cls, "config_type", None),
        validate=lambda: build_config(agent.type, agent.config),
    )
    check_config(reader.problems, check, agent.config)
