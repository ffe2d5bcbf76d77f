"""Plugin configuration: an attrs class, values from ``ATP_PLUGIN_<NAME>__<KEY>`` variables.

A plugin's config (its ``config_type``) is filled, lowest first, from the class defaults,
the environment and then the suite's ``config:`` block. Environment values are JSON when
they parse as JSON and the field is not a string; otherwise they are taken as text. An
environment key the class does not declare is an error, like an unknown key in a suite.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from atp_core.errors import ConfigError
from atp_core.protocol import converter
from atp_core.protocol._converter import format_exception

ENV_PREFIX = "ATP_PLUGIN_"


def env_prefix(name: str) -> str:
    """The prefix of the variables that configure plugin ``name`` (``ATP_PLUGIN_NAME__``)."""
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper() + "__"


def env_values(name: str, config_type: type, env: Mapping[str, str]) -> dict[str, Any]:
    """The config values for plugin ``name`` found in ``env``.

    Raises:
        ConfigError: a variable names a key ``config_type`` does not declare.
    """
    prefix = env_prefix(name)
    ours = sorted(var for var in env if var.startswith(prefix))
    if not ours:
        return {}  # the usual case, without resolving the class's annotations
    fields = {f.name.upper(): f for f in attrs.fields(config_type)}
    hints = typing.get_type_hints(config_type)
    out: dict[str, Any] = {}
    for var in ours:
        key = var[len(prefix):]
        field = fields.get(key)
        if field is None:
            known = ", ".join(sorted(fields)) or "none"
            raise ConfigError(f"{var} names no config key of plugin {name!r} (known: {known})")
        out[field.name] = _env_value(env[var], hints[field.name])
    return out


def _env_value(raw: str, hint: Any) -> Any:
    if hint is str or _is_secret(hint):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _is_secret(hint: Any) -> bool:
    return getattr(hint, "__name__", "") == "Secret"


def build_plugin_config(
    name: str, config_type: type, config: Mapping[str, Any], env: Mapping[str, str]
) -> Any:
    """``config_type`` built from defaults, then ``env``, then ``config``; strictly.

    Raises:
        ConfigError: unknown keys or invalid values, with the validators' own words.
    """
    merged = {**env_values(name, config_type, env), **config}
    try:
        return converter.structure(merged, config_type)
    except cattrs.BaseValidationError as exc:
        reasons = cattrs.transform_error(exc, format_exception=format_exception)
        raise ConfigError(f"invalid config for {name!r}: " + "; ".join(reasons)) from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid config for {name!r}: {exc}") from exc


def config_schema(config_type: type) -> dict[str, Any]:
    """The JSON Schema of a plugin's config class (unknown keys forbidden)."""
    from atp_core.protocol._schema import json_schema

    return json_schema(config_type)


def example_config(config_type: type) -> dict[str, Any]:
    """An example ``config:`` block: each field's example, default, or a typed placeholder.

    A field may give its example in its metadata: ``attrs.field(metadata={"example": ...})``.
    """
    hints = typing.get_type_hints(config_type)
    out: dict[str, Any] = {}
    for field in attrs.fields(config_type):
        if "example" in field.metadata:
            out[field.name] = field.metadata["example"]
        elif (default := default_of(field)) is not attrs.NOTHING:
            out[field.name] = converter.unstructure(default)
        else:
            out[field.name] = _placeholder(hints[field.name])
    return out


def default_of(field: attrs.Attribute[Any]) -> Any:
    """A field's default value (a factory is called), or ``attrs.NOTHING``."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory(None) if default.takes_self else default.factory()
    return default


def _placeholder(hint: Any) -> Any:
    origin = typing.get_origin(hint) or hint
    placeholders: dict[Any, Any] = {str: "...", int: 0, float: 0.0, bool: False,
                                    list: [], tuple: [], dict: {}}
    return placeholders.get(origin, "...")
