"""Secret-looking values never reach the database."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
_SECRET_KEY = re.compile(r"token|key|secret|password|passwd|authorization|cookie|credential", re.I)


def is_secret_key(key: object) -> bool:
    """Whether a mapping key names something that must not be stored."""
    return isinstance(key, str) and bool(_SECRET_KEY.search(key))


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with the values of secret-looking keys replaced by ``***``.

    Nested mappings and lists are walked; objects that are not JSON data are kept as their
    ``str`` (a ``Secret`` prints masked).
    """
    if isinstance(value, dict):
        return {
            k: MASK if is_secret_key(k) and v is not None else mask_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
