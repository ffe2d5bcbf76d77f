"""Redaction: secret values and secret-looking text masked before anything is written.

One ``Redactor`` serves logs, span attributes and error messages. It masks the values it
is given (every secret-typed setting) and, without being told, the usual shapes of
credentials: bearer tokens, ``Authorization`` headers, API keys of well-known providers,
``password=...`` pairs, cookies and the password of a ``scheme://user:PASSWORD@host`` URL.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from atp_core.protocol import RunRecord, structure, unstructure

MASK = "**********"

_KEY_WORD = r"(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key)"
_KEY = rf"(?<![\w-])(?:[A-Za-z0-9]+[_.-])*{_KEY_WORD}(?![\w-])"
_QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'"

# Each pattern keeps its ``keep`` group and masks the rest of the match.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?P<keep>(?i:\bauthorization)[\"']?\s*[:=]\s*[\"']?"
        r"(?:(?i:bearer|basic|token|digest)\s+)?)[^\s\"',;]+"
    ),
    re.compile(r"(?P<keep>(?i:\bbearer)\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?P<keep>(?i:\b(?:set-)?cookie)[\"']?\s*[:=]\s*[\"']?)[^\r\n\"']+"),
    re.compile(rf"(?P<keep>(?i:{_KEY})[\"']?\s*[:=]\s*)(?:{_QUOTED}|[^\s&,;\"'}}\]]+)"),
    re.compile(r"(?P<keep>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+(?=@)"),
    re.compile(
        r"(?P<keep>)\b(?:sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}"
        r"|xox[abposr]-[A-Za-z0-9-]{10,})"
    ),
)

# Every pattern above needs one of these words (matched case-insensitively); text without
# any skips them all, the common case. Searched as literals in the case-folded text, which
# is several times faster than one case-insensitive pattern.
_TRIGGER = re.compile(
    "|".join(
        re.escape(word)
        for word in (
            *("authorization", "bearer", "cookie", "://", "sk-", "akia", "passw", "pwd"),
            *("passphrase", "secret", "token", "apikey", "api_key", "api-key"),
            *("accesskey", "access_key", "access-key"),
            *(f"gh{c}_" for c in "pousr"),
            *(f"xox{c}-" for c in "abposr"),
        )
    )
)
# Redacted forms of this many distinct short texts (and secret-key verdicts) are remembered;
# past that the cache starts over, so texts that never repeat cannot grow it forever.
_CACHE_SIZE = 4_096
_SHORT = 200

_SECRET_SEGMENTS = frozenset(
    {
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "apikey",
        "authorization",
        "auth",
        "cookie",
        "cookies",
        "credential",
        "credentials",
    }
)
_SECRET_ENDINGS = ("apikey", "token", "secret", "password", "accesskey", "privatekey")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def is_secret_key(key: str) -> bool:
    """Whether a mapping key names a credential (``api_key``, ``X-Auth-Token``, ``cookie``)."""
    lowered = key.lower()
    segments = re.split(r"[^a-z0-9]+", lowered)
    if any(s in _SECRET_SEGMENTS for s in segments):
        return True
    return re.sub(r"[^a-z0-9]", "", lowered).endswith(_SECRET_ENDINGS)


def _secret_text(value: object) -> str:
    reveal = getattr(value, "get_secret_value", None)
    if callable(reveal):
        return str(reveal())
    return str(value)


class Redactor:
    """Masks secrets in text and in nested data.

    Args:
        secrets: Values to mask wherever they appear: strings, or objects with
            ``get_secret_value()`` (config ``Secret``). Empty values are ignored.
    """

    def __init__(self, secrets: Iterable[object] = ()) -> None:
        values = sorted({_secret_text(s) for s in secrets} - {""}, key=len, reverse=True)
        self._values = re.compile("|".join(re.escape(v) for v in values)) if values else None
        # Short texts seen before (statuses, names, models, IDs) with their redacted form.
        self._seen: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for the span export process) without the cache."""
        return {**self.__dict__, "_seen": {}}

    def text(self, text: str) -> str:
        """``text`` with every secret value and credential-shaped substring masked."""
        if len(text) > _SHORT:
            return self._redact(text)
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= _CACHE_SIZE:
                self._seen.clear()
            found = self._seen[text] = self._redact(text)
        return found

    def _redact(self, text: str) -> str:
        if self._values is not None:
            text = self._values.sub(MASK, text)
        if _TRIGGER.search(text.casefold()) is None:
            return text
        for pattern in _PATTERNS:
            text = pattern.sub(_keep_then_mask, text)
        return text

    def value(self, obj: Any) -> Any:
        """A copy of ``obj`` with strings redacted and values under secret keys masked.

        Walks dicts, lists and tuples; other objects are returned unchanged, except those
        with ``get_secret_value()``, which become the mask.
        """
        kind = type(obj)
        if kind is str:
            return self.text(obj)
        if kind in _PLAIN:
            return obj
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, Mapping):
            return self._mapping(obj)
        if isinstance(obj, list):
            return [self.value(v) for v in obj]
        if isinstance(obj, tuple):
            return tuple(self.value(v) for v in obj)
        if callable(getattr(obj, "get_secret_value", None)):
            return MASK
        return obj

    def _mapping(self, obj: Mapping[Any, Any]) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        text, value = self.text, self.value
        for key, item in obj.items():
            if not isinstance(key, str):
                out[key] = value(item)
            elif item is not None and is_secret_key(key):
                out[text(key)] = MASK
            elif key in _SECRET_CONTAINERS and isinstance(item, Mapping):
                # An agent's headers and environment carry credentials under any name.
                out[text(key)] = dict.fromkeys(item, MASK)
            else:
                out[text(key)] = text(item) if type(item) is str else value(item)
        return out


def _keep_then_mask(match: re.Match[str]) -> str:
    return match.group("keep") + MASK


_SECRET_CONTAINERS = frozenset({"headers", "environment", "env"})
_PLAIN = frozenset({int, float, bool, type(None)})


def redact_record(redactor: Redactor, record: RunRecord) -> RunRecord:
    """``record`` with secrets masked in every string it holds (artifacts, events, errors,
    check messages, adapter config), ready to be stored and reported.

    Evaluators have already judged the clear text; only what leaves the runner is masked.
    """
    data = redactor.value(unstructure(record))
    return structure(data, RunRecord)
