"""The configuration of ATP as attrs classes: one section per concern.

Every field carries its description (shown in the JSON Schema and checked against
docs/configuration.md) and, where it has one, its range. The range is both an attrs
validator and a JSON Schema keyword, written once.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from atp_core.config._secret import Secret

DEFAULT_DATABASE_URL = "sqlite:///./.atp/atp.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def doc(description: str, **bounds: float) -> dict[str, Any]:
    """Field metadata: a description and optional bounds (``minimum``, ``maximum``,
    ``exclusiveMinimum``), which are both JSON Schema keywords and validators."""
    meta: dict[str, Any] = {"description": description}
    if bounds:
        meta["json_schema"] = bounds
    return meta


def _check_bounds(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    bounds = attribute.metadata["json_schema"]
    if value is None:
        return
    if "minimum" in bounds and value < bounds["minimum"]:
        raise ValueError(f"{attribute.name} must be at least {bounds['minimum']:g}, got {value}")
    if "exclusiveMinimum" in bounds and value <= bounds["exclusiveMinimum"]:
        limit = bounds["exclusiveMinimum"]
        raise ValueError(f"{attribute.name} must be greater than {limit:g}, got {value}")
    if "maximum" in bounds and value > bounds["maximum"]:
        raise ValueError(f"{attribute.name} must be at most {bounds['maximum']:g}, got {value}")


def _bounded(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs field transformer: a field with bounds in its metadata gets them checked."""
    return [
        f.evolve(validator=_check_bounds)
        if any(k in f.metadata.get("json_schema", {}) for k in _BOUND_KEYS) else f
        for f in fields
    ]


_BOUND_KEYS = ("minimum", "maximum", "exclusiveMinimum")


@attrs.frozen(kw_only=True, field_transformer=_bounded)
class LogConfig:
    """Logging: level, renderer and per-module levels."""

    level: LogLevel = attrs.field(default="INFO", metadata={
        "description": "Minimum level logged (case-insensitive).",
        "json_schema": {"enum": [*LOG_LEVELS, *(v.lower() for v in LOG_LEVELS)]},
    })
    format: Literal["auto", "json", "console"] = attrs.field(default="auto", metadata=doc(
        "Log renderer; auto picks console on a terminal and JSON otherwise."))
    levels: dict[str, LogLevel] = attrs.field(factory=dict, metadata=doc(
        "Per-logger levels, e.g. {httpx: WARNING}."))


@attrs.frozen(kw_only=True, field_transformer=_bounded)
class RunnerConfig:
    """How suites are run."""

    parallel: int = attrs.field(default=4, metadata=doc(
        "Runs executed at the same time.", minimum=1))
    default_timeout: float = attrs.field(default=120.0, metadata=doc(
        "Per-run deadline in seconds when neither the suite's `defaults.timeout_seconds` "
        "nor a test sets one.", exclusiveMinimum=0))
    keep_workspaces: bool = attrs.field(default=False, metadata=doc(
        "Keep each run's workspace directory afterwards."))
    workspace_root: str | None = attrs.field(default=None, metadata=doc(
        "Directory for run workspaces; the system temporary directory when unset."))


@attrs.frozen(kw_only=True, field_transformer=_bounded)
class SandboxConfig:
    """How untrusted code (pytest, custom_command, lint checks) is confined."""

    mode: Literal["auto", "bwrap", "container", "none"] = attrs.field(default="auto", metadata=doc(
        "auto probes bubblewrap then a container; none runs unconfined (explicit opt-in)."))
    memory_mb: int = attrs.field(default=1024, metadata=doc(
        "Memory limit of sandboxed code, in MiB.", minimum=16))
    cpu_seconds: int = attrs.field(default=60, metadata=doc(
        "CPU time limit of sandboxed code, in seconds.", minimum=1))
    max_processes: int = attrs.field(default=64, metadata=doc(
        "Process limit of sandboxed code.", minimum=1))
    container_image: str = attrs.field(default="atp-sandbox:latest", metadata=doc(
        "Image for mode container (built locally; it needs Python and the test tools)."))


@attrs.frozen(kw_only=True, field_transformer=_bounded)
class DatabaseConfig:
    """The results store."""

    url: Secret | None = attrs.field(default=None, metadata=doc(
        f"Database URL (sqlite:/// or postgresql://); unset means {DEFAULT_DATABASE_URL}."))

    def effective_url(self) -> Secret:
        """The configured URL, or the default SQLite file under ``./.atp``."""
        return self.url if self.url is not None else Secret(DEFAULT_DATABASE_URL)


@attrs.frozen(kw_only=True, field_transformer=_bounded)
class WebConfig:
    """The web dashboard."""

    host: str = attrs.field(default="127.0.0.1", metadata=doc(
        "Address the dashboard listens on."))
    port: int = attrs.field(default=8080, metadata=doc(
        "Port the dashboard listens on.", minimum=1, maximum=65535))
    token: Secret | None = attrs.field(default=None, metadata=doc(
        "Bearer token required by the dashboard, if set."))



@attrs.frozen(kw_only=True, field_transformer=_bounded)
class AtpConfig:
    """The whole configuration of ATP (``atp.config.yaml``)."""

    log: LogConfig = attrs.Factory(LogConfig)
    runner: RunnerConfig = attrs.Factory(RunnerConfig)
    sandbox: SandboxConfig = attrs.Factory(SandboxConfig)
    database: DatabaseConfig = attrs.Factory(DatabaseConfig)
    web: WebConfig = attrs.Factory(WebConfig)


SECTIONS: tuple[str, ...] = tuple(f.name for f in attrs.fields(AtpConfig))
