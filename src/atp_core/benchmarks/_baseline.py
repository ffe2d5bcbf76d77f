"""``baseline.json``: the measured scores of the reference agents on one benchmark version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from atp_core.errors import ConfigError

BASELINE_FORMAT = 1


@attrs.frozen(kw_only=True)
class BaselineEntry:
    """One agent's measured score, where and when it was measured, and how to redo it."""

    agent: str
    score: float
    passed_runs: int
    total_runs: int
    date: str
    atp_version: str
    command: str


@attrs.frozen(kw_only=True)
class Baselines:
    """The baselines of one benchmark version, keyed by agent."""

    benchmark: str
    version: str
    entries: tuple[BaselineEntry, ...] = ()

    def get(self, agent: str) -> BaselineEntry | None:
        """The entry of ``agent``, if measured."""
        return next((e for e in self.entries if e.agent == agent), None)


def load_baselines(path: Path) -> Baselines | None:
    """The baselines stored at ``path``, or ``None`` when the file does not exist."""
    from atp_core.protocol import structure

    if not path.is_file():
        return None
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != BASELINE_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {BASELINE_FORMAT}")
        entries = tuple(structure(e, BaselineEntry) for e in data["entries"])
        return Baselines(benchmark=data["benchmark"], version=data["version"], entries=entries)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: not a valid baseline file: {exc}") from exc


def save_baselines(path: Path, baselines: Baselines) -> None:
    """Write ``baselines`` to ``path`` (entries sorted by agent, stable JSON)."""
    from atp_core.protocol import unstructure

    doc = {
        "format": BASELINE_FORMAT,
        "benchmark": baselines.benchmark,
        "version": baselines.version,
        "entries": [unstructure(e) for e in sorted(baselines.entries, key=lambda e: e.agent)],
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def with_entry(old: Baselines | None, benchmark: str, version: str,
               entry: BaselineEntry) -> Baselines:
    """``old`` with ``entry`` replacing the same agent's; a new version starts afresh."""
    kept = () if old is None or old.version != version else old.entries
    entries = (*(e for e in kept if e.agent != entry.agent), entry)
    return Baselines(benchmark=benchmark, version=version, entries=entries)
