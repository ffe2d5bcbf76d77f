"""Configuration of ATP, layered: defaults → ``atp.config.yaml`` → ``atp.config.<env>.yaml``
→ ``.env`` → ``ATP_*`` environment variables → command-line overrides.

Secrets are ``Secret`` values: masked in ``repr``, ``str``, dumps and error messages.
"""

from atp_core.config._load import (
    CONFIG_FILE,
    config_json_schema,
    dump_config,
    load_config,
    redact,
    secrets_of,
)
from atp_core.config._model import (
    DEFAULT_DATABASE_URL,
    AtpConfig,
    DatabaseConfig,
    LogConfig,
    RunnerConfig,
    SandboxConfig,
    WebConfig,
)
from atp_core.config._secret import MASK, Secret
from atp_core.config._sources import env_name

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_DATABASE_URL",
    "MASK",
    "AtpConfig",
    "DatabaseConfig",
    "LogConfig",
    "RunnerConfig",
    "SandboxConfig",
    "Secret",
    "WebConfig",
    "config_json_schema",
    "dump_config",
    "env_name",
    "load_config",
    "redact",
    "secrets_of",
]
