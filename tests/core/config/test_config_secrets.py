"""Secrets never reach a repr, a dump, a log line or an error message."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.config import MASK, Secret, dump_config, load_config, redact, secrets_of
from atp_core.errors import ConfigError

PLANTED = "sk-planted-5f1c9e"


def test_secret_hides_its_value_in_every_printed_form() -> None:
    """repr, str, f-strings and format() all show the mask; the value is still reachable."""
    secret = Secret(PLANTED)
    for shown in (repr(secret), str(secret), f"{secret}", format(secret), f"{secret!r}"):
        assert shown == "Secret('**********')"
    assert secret.get_secret_value() == PLANTED


def test_secrets_compare_and_copy_by_value() -> None:
    """Equal values are equal secrets; copies and pickles keep the value, still masked."""
    secret = Secret(PLANTED)
    assert secret == Secret(PLANTED)
    assert secret != Secret("other")
    assert copy.deepcopy(secret).get_secret_value() == PLANTED
    assert pickle.loads(pickle.dumps(secret)) == secret
    with pytest.raises(AttributeError):
        secret._value = "x"
    with pytest.raises(TypeError):
        Secret(3)  # type: ignore[arg-type]


def test_config_repr_and_dump_mask_secrets_unless_revealed(tmp_path: Path) -> None:
    """repr(config) and dump_config() mask secrets; reveal=True gives the values."""
    config = load_config(tmp_path, {"ATP_WEB__TOKEN": PLANTED,
                                    "ATP_DATABASE__URL": f"postgresql://u:{PLANTED}-a@h/db"})
    assert PLANTED not in repr(config)
    assert PLANTED not in str(dump_config(config))
    assert dump_config(config)["web"]["token"] == MASK
    revealed = dump_config(config, reveal=True)
    assert revealed["web"]["token"] == PLANTED
    assert revealed["database"]["url"] == f"postgresql://u:{PLANTED}-a@h/db"
    assert len(list(secrets_of(config))) == 2


def test_redact_masks_configured_secrets_and_url_passwords(tmp_path: Path) -> None:
    """Every configured secret and every user:password@ in a URL is masked."""
    config = load_config(tmp_path, {"ATP_WEB__TOKEN": PLANTED})
    text = (f"auth failed with {PLANTED}; db postgresql://atp:hunter2@db:5432/atp; "
            "plain http://host:8080/a@b and sqlite:///./.atp/atp.db")
    assert redact(text, config) == (
        "auth failed with **********; db postgresql://atp:**********@db:5432/atp; "
        "plain http://host:8080/a@b and sqlite:///./.atp/atp.db")
    assert redact("redis://:pw@h", None) == "redis://:**********@h"


BROKEN_LAYERS: list[tuple[str, str, dict[str, str], dict[str, object]]] = [
    ("atp.config.yaml", f"web:\n  token: {PLANTED}\n  tokn: {PLANTED}\n", {}, {}),
    ("atp.config.yaml", f"web: {{token: {PLANTED}, port: x}}\n", {}, {}),
    ("atp.config.yaml", f"web:\n  token: '{PLANTED}\n", {}, {}),
    ("atp.config.yaml", f"web:\n  token: [{PLANTED}]\n", {}, {}),
    ("atp.config.yaml", f"{PLANTED}: 1\n", {"ATP_WEB__TOKEN": PLANTED}, {}),
    (".env", f"ATP_WEB__TOKEN={PLANTED}\nATP_WEB__PORT=x\n", {}, {}),
    (".env", "ATP_WEB__PORT=x\n", {"ATP_DATABASE_URL": f"postgresql://u:{PLANTED}@h/db"}, {}),
    (".env", "", {"ATP_WEB__TOKEN": PLANTED, "ATP_WEB__TOKN": PLANTED}, {}),
    (".env", "", {"ATP_WEB__TOKEN": PLANTED}, {"web.port": PLANTED}),
    (".env", "", {"ATP_WEB__TOKEN": PLANTED}, {"sandbox.mode": PLANTED}),
    (".env", "", {"ATP_WEB__TOKEN": PLANTED}, {"log.levels": f'{{"x": "{PLANTED}"}}'}),
    (".env", "", {"ATP_WEB__TOKEN": PLANTED}, {"web.token": 5, "web.port": 0}),
    ("atp.config.yaml", f"web:\n  token: {PLANTED}\n", {}, {"runner.parallel": PLANTED}),
]


@pytest.mark.parametrize(("name", "text", "env", "overrides"), BROKEN_LAYERS)
def test_planted_secret_never_appears_in_errors(
    project: Callable[[str, str], Path],
    name: str, text: str, env: dict[str, str], overrides: dict[str, object],
) -> None:
    """Whatever is broken, the configuration error never contains the planted secret."""
    cwd = project(name, text)
    try:
        load_config(cwd, env, overrides)
    except ConfigError as exc:
        formatted = [str(exc), repr(exc), *map(str, exc.args)]
    else:
        formatted = []
    if not formatted:
        pytest.fail("the configuration was expected to be refused")
    for shown in formatted:
        assert PLANTED not in shown
