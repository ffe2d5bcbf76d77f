"""WebSettings through an environment variable, for ``atp serve --workers N``.

uvicorn starts each worker as a fresh process that imports the app by name
(``atp_web.app:create_app_from_env``), so the settings cannot be passed as an object. The
parent writes them as JSON into one environment variable, which the workers inherit; the
database URL and the token travel there and nowhere else (never on a command line or in a log).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from atp_core.config import Secret
from atp_core.errors import ConfigError
from atp_web.settings import WebSettings

ENV_VAR = "ATP_WEB_SETTINGS"


def settings_to_env(settings: WebSettings) -> dict[str, str]:
    """The environment entry that carries ``settings`` to worker processes."""
    data: dict[str, Any] = {
        "database_url": settings.database_url,
        "suites_dirs": [str(d) for d in settings.suites_dirs],
        "token": None if settings.token is None else settings.token.get_secret_value(),
        "poll_interval": settings.poll_interval,
        "page_size": settings.page_size,
        "parallel": settings.parallel,
        "workspace_root": None if settings.workspace_root is None else str(settings.workspace_root),
    }
    return {ENV_VAR: json.dumps(data)}


def settings_from_env(env: Mapping[str, str]) -> WebSettings:
    """The settings ``settings_to_env`` wrote; ConfigError when they are missing or broken."""
    raw = env.get(ENV_VAR)
    if raw is None:
        raise ConfigError(f"{ENV_VAR} is not set; start the dashboard with 'atp serve'")
    try:
        data = json.loads(raw)
        token, root = data["token"], data["workspace_root"]
        return WebSettings(
            database_url=data["database_url"],
            suites_dirs=tuple(Path(d) for d in data["suites_dirs"]),
            token=None if token is None else Secret(token),
            poll_interval=data["poll_interval"],
            page_size=data["page_size"],
            parallel=data["parallel"],
            workspace_root=None if root is None else Path(root),
        )
    except (ValueError, KeyError, TypeError) as exc:
        # The message names the problem's type only: the value may hold the token.
        raise ConfigError(
            f"{ENV_VAR} is not valid dashboard settings ({type(exc).__name__})"
        ) from None
