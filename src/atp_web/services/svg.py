"""Inline SVG sparklines for trends: no script, no external file, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

WIDTH = 240
HEIGHT = 48
PAD = 4


@attrs.frozen(kw_only=True)
class Sparkline:
    """Points of one polyline in a ``WIDTH`` x ``HEIGHT`` box, values 0..1 going up."""

    points: str
    dots: tuple[tuple[float, float], ...]
    last: float | None


def sparkline(values: Sequence[float | None]) -> Sparkline:
    """A polyline through ``values`` (each 0..1); missing values leave no point."""
    n = len(values)
    step = (WIDTH - 2 * PAD) / max(n - 1, 1)
    dots = []
    for i, value in enumerate(values):
        if value is None:
            continue
        clamped = min(max(value, 0.0), 1.0)
        x = PAD + i * step if n > 1 else WIDTH / 2
        y = HEIGHT - PAD - clamped * (HEIGHT - 2 * PAD)
        dots.append((round(x, 1), round(y, 1)))
    known = [v for v in values if v is not None]
    return Sparkline(
        points=" ".join(f"{x},{y}" for x, y in dots),
        dots=tuple(dots),
        last=known[-1] if known else None,
    )
