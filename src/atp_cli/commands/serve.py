"""``atp serve``: the web dashboard under uvicorn, over the same store ``atp run`` writes."""

from __future__ import annotations

import argparse
import ipaddress
from typing import Any

HELP = """\
Serve the web dashboard. It reads the results store (--db, else database.url from the
configuration, else ./.atp/atp.db) and can start suite runs found under --suites (repeatable;
default ./ and examples/).

It binds 127.0.0.1 by default. Any other address is refused unless an access token is
configured (ATP_WEB_TOKEN or web.token); then every request must present it, as
'Authorization: Bearer TOKEN' or through the cookie that /login?token=TOKEN sets."""


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser("serve", help="serve the web dashboard", description=HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", metavar="ADDR", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="N", help="port to bind (default 8080)")
    p.add_argument("--db", metavar="URL", help="results store URL (sqlite:/// or postgresql://)")
    p.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="server processes sharing the port (default 1); more serve more "
                   "requests at once on a machine with several cores")
    p.add_argument("--suites", metavar="DIR", action="append", default=[],
                   help="directory with suite files the dashboard may run; repeatable")
    p.add_argument("--config", metavar="K=V", action="append", default=[],
                   help="override a config value, e.g. web.port=9000; repeatable")
    p.set_defaults(handler=handle)


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--workers must be a whole number >= 1, got {text!r}")
    return value


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def handle(args: argparse.Namespace) -> int:
    """Open the store and serve until Ctrl-C."""
    from pathlib import Path

    import uvicorn

    from atp_cli._run import load_config_for
    from atp_core.errors import ConfigError
    from atp_web import WebSettings, create_app

    config = load_config_for(args)
    host = args.host or config.web.host
    port = config.web.port if args.port is None else args.port
    token = config.web.token
    if not is_loopback(host) and token is None:
        raise ConfigError(
            f"refusing to serve on {host}, which is not a loopback address, without an access "
            "token; set ATP_WEB_TOKEN (or web.token), or bind 127.0.0.1"
        )
    url = args.db or config.database.effective_url().get_secret_value()
    dirs = tuple(Path(d) for d in args.suites) or (Path("."), Path("examples"))
    settings = WebSettings(database_url=url, suites_dirs=dirs, token=token,
                           parallel=config.runner.parallel)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning",
                               "ws": "websockets-sansio", "lifespan": "on"}
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    import os

    from atp_web.settings_env import settings_to_env

    # Worker processes import the app by name and inherit the settings from the environment.
    os.environ.update(settings_to_env(settings))
    uvicorn.run("atp_web.app:create_app_from_env", factory=True, workers=args.workers,
                **options)
    return 0
