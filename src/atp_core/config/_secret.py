"""Secrets: a string whose every printed form is masked, and redaction of free text."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from typing import Any

MASK = "**********"

# scheme://user:password@host — the password is masked even when it is no configured secret.
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@")


class Secret:
    """A secret string (token, API key, database URL).

    ``repr``, ``str`` and f-strings show ``Secret('**********')``; only
    ``get_secret_value()`` gives the value. Two secrets are equal when their values are.
    """

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"a Secret wraps a string, not {type(value).__name__}")
        object.__setattr__(self, "_value", value)

    def get_secret_value(self) -> str:
        """The secret itself. Never log or print it."""
        return self._value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Secret is immutable")

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))

    @classmethod
    def __json_schema__(cls) -> dict[str, Any]:
        """The JSON Schema of a secret in a config file: a string, never shown back."""
        return {"type": "string", "writeOnly": True}


def redact_values(text: str, secrets: Iterable[Secret | str]) -> str:
    """``text`` with every given secret value and every URL password masked."""
    values = {s.get_secret_value() if isinstance(s, Secret) else s for s in secrets}
    for value in sorted((v for v in values if v), key=len, reverse=True):
        text = text.replace(value, MASK)
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)
