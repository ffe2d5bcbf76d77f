"""``load_config``: defaults → atp.config.yaml → atp.config.<env>.yaml → .env → ATP_* → flags."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs

from atp_core.config._model import AtpConfig
from atp_core.config._secret import MASK, Secret, redact_values
from atp_core.config._sources import dotenv_lines, read_dotenv, read_env, read_overrides, read_yaml
from atp_core.config._tree import Collector
from atp_core.errors import ConfigError

CONFIG_FILE = "atp.config.yaml"
DOTENV_FILE = ".env"
_ENV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

_converter = cattrs.Converter(forbid_extra_keys=True)
_converter.register_structure_hook(Secret, lambda value, _: value if isinstance(value, Secret)
                                   else Secret(value))
_converter.register_unstructure_hook(Secret, lambda _: MASK)
_revealing = _converter.copy()
_revealing.register_unstructure_hook(Secret, Secret.get_secret_value)


def load_config(
    cwd: Path, env: Mapping[str, str], overrides: Mapping[str, object] | None = None
) -> AtpConfig:
    """The configuration, merged from every layer (a later layer wins).

    Layers: defaults; ``atp.config.yaml`` in ``cwd``; ``atp.config.<ATP_ENV>.yaml``;
    the ``.env`` file in ``cwd``; ``ATP_*`` variables of ``env``; ``overrides`` (dotted
    keys such as ``runner.parallel``, e.g. from command-line flags).

    Raises:
        ConfigError: listing every problem of every layer, located, secrets masked.
    """
    collector = Collector()
    dotenv_file = cwd / DOTENV_FILE
    dotenv = _read_dotenv(dotenv_file, collector)
    read_yaml(cwd / CONFIG_FILE, collector)
    env_name = env.get("ATP_ENV") or dotenv.get("ATP_ENV")
    if env_name:
        if _ENV_NAME.match(env_name):
            read_yaml(cwd / f"atp.config.{env_name}.yaml", collector)
        else:
            collector.problem("ATP_ENV", "must be a name of letters, digits, '-' and '_'")
    if dotenv:
        lines = dotenv_lines(dotenv_file)
        read_env(dotenv, collector, where=lambda n: f"{dotenv_file}:{lines.get(n, 1)} ({n})")
    read_env(env, collector, where=lambda n: f"environment variable {n}")
    read_overrides(overrides or {}, collector)
    if collector.problems:
        message = "invalid configuration:\n  " + "\n  ".join(collector.problems)
        raise ConfigError(redact_values(message, collector.secrets))
    try:
        return _converter.structure(collector.nested(), AtpConfig)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        detail = "; ".join(cattrs.transform_error(exc)) if isinstance(
            exc, cattrs.BaseValidationError) else str(exc)
        raise ConfigError(redact_values(f"invalid configuration: {detail}",
                                        collector.secrets)) from None


def _read_dotenv(file: Path, collector: Collector) -> dict[str, str]:
    try:
        return read_dotenv(file)
    except (OSError, UnicodeDecodeError) as exc:
        collector.problem(str(file), f"cannot read the file ({type(exc).__name__})")
        return {}


def dump_config(config: AtpConfig, *, reveal: bool = False) -> dict[str, Any]:
    """The configuration as JSON-ready data; secrets are ``**********`` unless ``reveal``."""
    data: dict[str, Any] = (_revealing if reveal else _converter).unstructure(config)
    return data


def secrets_of(config: Any) -> Iterator[Secret]:
    """Every secret held by ``config`` (an ``AtpConfig`` or one of its sections)."""
    for field in attrs.fields(type(config)):
        value = getattr(config, field.name)
        if isinstance(value, Secret):
            yield value
        elif attrs.has(type(value)):
            yield from secrets_of(value)


def redact(text: str, config: AtpConfig | None) -> str:
    """``text`` with every secret of ``config`` and every ``user:password@`` masked.

    Use it on anything that may reach a log or an error message.
    """
    return redact_values(text, secrets_of(config) if config is not None else ())


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``atp.config.yaml`` (and of ``atp.config.<env>.yaml``)."""
    from atp_core.protocol._schema import json_schema

    schema = json_schema(AtpConfig, strict=True)
    schema["title"] = CONFIG_FILE
    return schema
