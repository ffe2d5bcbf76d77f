"""Test doubles for code that uses atp_core: a scripted agent, sinks and a fake clock.

They are public API, for plugin authors and embedders as much as for ATP's own tests.
"""

from atp_core.testing._agent import Reply, Script, ScriptedAgent, ScriptedConfig
from atp_core.testing._clock import FakeClock
from atp_core.testing._sinks import EventCapture, MemorySink

__all__ = [
    "EventCapture",
    "FakeClock",
    "MemorySink",
    "Reply",
    "Script",
    "ScriptedAgent",
    "ScriptedConfig",
]
