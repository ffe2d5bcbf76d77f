"""Number formatting and text cleaning shared by every report format.

Agent-provided text is untrusted: each format escapes it for its own syntax, and the
helpers here remove what no format can carry (terminal control sequences, characters
XML forbids, lone surrogates that cannot be encoded as UTF-8).
"""

from __future__ import annotations

import math
import re
from typing import TypeGuard

NA = "n/a"

# XML 1.0 allows TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF.
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0/C1 controls (ESC starts terminal escape sequences) and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def finite(value: float | None) -> TypeGuard[float]:
    """Whether ``value`` is a real, finite number."""
    return value is not None and math.isfinite(value)


def num(value: float | None, digits: int = 2) -> str:
    """A number with ``digits`` decimals, or ``n/a`` when missing or not finite."""
    return f"{value:.{digits}f}" if finite(value) else NA


def pct(value: float | None) -> str:
    """A 0..1 rate as a whole percentage, or ``n/a``."""
    return f"{value * 100:.0f}%" if finite(value) else NA


def interval(bounds: tuple[float, float], as_pct: bool = False) -> str:
    """A confidence interval as ``[lo, hi]``; ``n/a`` when either end is undefined."""
    lo, hi = bounds
    if not (finite(lo) and finite(hi)):
        return NA
    fmt = pct if as_pct else num
    return f"[{fmt(lo)}, {fmt(hi)}]"


def seconds(value: float | None) -> str:
    """A duration: ``0.42s``, ``12.3s`` or ``2m 03s``."""
    if not finite(value):
        return NA
    if value < 60:
        return f"{value:.2f}s" if value < 10 else f"{value:.1f}s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes}m {rest:02d}s"


def money(value: float | None) -> str:
    """A cost in US dollars, or ``n/a`` when no run reported one."""
    return f"${value:.4f}" if finite(value) else NA


def signed(value: float | None, as_points: bool = False) -> str:
    """A delta with its sign: ``+0.12`` or, for rates, ``-25.0 pp``."""
    if not finite(value):
        return NA
    return f"{value * 100:+.1f} pp" if as_points else f"{value:+.2f}"


def printable(text: str) -> str:
    """Replace control characters (keeping TAB and LF) by visible ``\\xNN`` escapes.

    An agent must not be able to move the cursor or recolour an operator's terminal, and
    a lone surrogate must not make the report impossible to write as UTF-8.
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text.replace("\r\n", "\n"))


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot represent at all (even escaped)."""
    return _XML_INVALID.sub("", text)


def one_line(text: str) -> str:
    """Collapse line breaks so a message fits one table cell or list item."""
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"
