"""How the dashboard is set up: database, suites it may launch, access token, live polling."""

from __future__ import annotations

from pathlib import Path

import attrs

from atp_core.config import Secret


def _dirs(value: object) -> tuple[Path, ...]:
    if isinstance(value, (str, Path)):
        return (Path(value),)
    return tuple(Path(v) for v in value)  # type: ignore[attr-defined]


@attrs.frozen(kw_only=True)
class WebSettings:
    """Settings of one dashboard instance.

    Attributes:
        database_url: The results store to open when ``create_app`` is given no store.
        suites_dirs: Where the launch page looks for suite files (``*.yaml``, ``*.yml``).
        token: When set, every request must present it (``Authorization: Bearer`` or the
            cookie set by ``/login?token=...``).
        poll_interval: Seconds between reads of the store for live progress.
        page_size: Rows per page of the suite-run list.
        parallel: Runs executing at once in a suite run started from the dashboard.
        workspace_root: Where runs started from the dashboard put their workspaces.
    """

    database_url: str | None = None
    suites_dirs: tuple[Path, ...] = attrs.field(
        default=(Path("."), Path("examples")), converter=_dirs
    )
    token: Secret | None = None
    poll_interval: float = attrs.field(default=0.5, validator=attrs.validators.gt(0))
    page_size: int = attrs.field(default=25, validator=attrs.validators.ge(1))
    parallel: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    workspace_root: Path | None = None
