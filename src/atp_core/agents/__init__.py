"""Built-in deterministic agents, for demos and for testing ATP itself.

Each agent is an async generator function ``(request, params)`` that yields events and then
a response (see ``_core``). They run in-process (``entry:run``), over stdio
(``python -m atp_core.agents stdio NAME``) or over HTTP (``serve_http``); ``builtin_spec``
builds the agent spec that targets one over any of these transports.
"""

from atp_core.agents._catalog import AGENTS, builtin_spec, parse_params, resolve_agent
from atp_core.agents._core import (
    AgentHandler,
    AgentInfo,
    Crash,
    Emitter,
    Flood,
    Garbage,
    Misbehavior,
)
from atp_core.agents._http_server import AgentHTTPServer, make_http_server, serve_http
from atp_core.agents._stdio import run_stdio

__all__ = [
    "AGENTS",
    "AgentHTTPServer",
    "AgentHandler",
    "AgentInfo",
    "Crash",
    "Emitter",
    "Flood",
    "Garbage",
    "Misbehavior",
    "builtin_spec",
    "make_http_server",
    "parse_params",
    "resolve_agent",
    "run_stdio",
    "serve_http",
]
