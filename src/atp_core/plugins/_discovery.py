"""Finding plugins through entry points, without importing them.

Every plugin (ATP's own built-ins too) is an entry point in one of the groups below. Only
the distribution metadata is read here; a plugin's module is imported when it is loaded.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import metadata
from typing import Literal

import attrs

PluginKind = Literal["adapter", "evaluator", "reporter"]
KINDS: tuple[PluginKind, ...] = ("adapter", "evaluator", "reporter")
GROUPS: dict[PluginKind, str] = {
    "adapter": "atp.adapters",
    "evaluator": "atp.evaluators",
    "reporter": "atp.reporters",
}
BUILTIN_DIST = "atp-platform"


@attrs.frozen(kw_only=True)
class PluginEntry:
    """One registered plugin, known from metadata alone.

    Attributes:
        kind: adapter, evaluator or reporter.
        name: the name suites and flags use (the entry point's name).
        target: ``module:attribute`` of the plugin object.
        distribution: the distribution that registers it.
        version: that distribution's version.
        author: its author, from the distribution metadata.
        summary: its one-line summary, from the distribution metadata.
        builtin: shipped with ATP itself.
        shadowed_by: another distribution whose plugin of the same name wins.
    """

    kind: PluginKind
    name: str
    target: str
    distribution: str
    version: str = ""
    author: str = ""
    summary: str = ""
    builtin: bool = False
    shadowed_by: str | None = None


def plugin_entries(kind: PluginKind, fallback: Mapping[str, str]) -> list[PluginEntry]:
    """Every entry of ``kind``, built-ins first; cached for the process.

    Args:
        kind: which group to read.
        fallback: the built-in ``name -> module:attr`` table, used only when ATP's own
            distribution metadata is missing (running from a source tree).
    """
    return list(_entries(kind, tuple(sorted(fallback.items()))))


# entry_map's answers by kind: evaluators are looked up for every assertion of a suite.
_MAPS: dict[PluginKind, tuple[Mapping[str, str], dict[str, PluginEntry]]] = {}


def entry_map(kind: PluginKind, fallback: Mapping[str, str]) -> dict[str, PluginEntry]:
    """The winning entry for each name of ``kind`` (cached for the process: do not mutate)."""
    kept = _MAPS.get(kind)
    if kept is not None and kept[0] is fallback:
        return kept[1]
    winners = {e.name: e for e in plugin_entries(kind, fallback) if e.shadowed_by is None}
    _MAPS[kind] = (fallback, winners)
    return winners


def clear_discovery_cache() -> None:
    """Forget what was discovered (after installing or removing a plugin in-process)."""
    _entries.cache_clear()
    _MAPS.clear()


@functools.cache
def _entries(kind: PluginKind, fallback: tuple[tuple[str, str], ...]) -> tuple[PluginEntry, ...]:
    found = [_entry(kind, ep) for ep in metadata.entry_points(group=GROUPS[kind])]
    if not any(e.builtin for e in found):
        found += [_builtin(kind, name, target) for name, target in fallback]
    found.sort(key=lambda e: (not e.builtin, e.name, e.distribution))
    winners: dict[str, PluginEntry] = {}
    out: list[PluginEntry] = []
    for entry in found:
        first = winners.setdefault(entry.name, entry)
        out.append(entry if first is entry else attrs.evolve(entry, shadowed_by=first.distribution))
    return tuple(out)


def _entry(kind: PluginKind, ep: metadata.EntryPoint) -> PluginEntry:
    dist = ep.dist
    meta = dist.metadata if dist is not None else None
    name = _field(meta, "Name") or "<unknown>"
    return PluginEntry(
        kind=kind,
        name=ep.name,
        target=ep.value,
        distribution=name,
        version=dist.version if dist is not None else "",
        author=_author(meta),
        summary=_field(meta, "Summary"),
        builtin=_canonical(name) == BUILTIN_DIST,
    )


def _builtin(kind: PluginKind, name: str, target: str) -> PluginEntry:
    from atp_core import __version__

    return PluginEntry(kind=kind, name=name, target=target, distribution=BUILTIN_DIST,
                       version=__version__, author="ATP developers", builtin=True)


def _author(meta: metadata.PackageMetadata | None) -> str:
    if meta is None:
        return ""
    author = _field(meta, "Author")
    email = _field(meta, "Author-email")
    # ``Author-email`` holds ``Name <mail>``; the name alone is what people read.
    return author or email.split("<", 1)[0].strip().strip('"')


def _field(meta: metadata.PackageMetadata | None, key: str) -> str:
    # ``meta[key]`` warns when the key is absent; ``get`` does not.
    value = meta.get(key) if meta is not None else None
    return value if isinstance(value, str) else ""


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")
