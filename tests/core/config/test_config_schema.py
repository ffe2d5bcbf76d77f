"""The JSON Schema of atp.config.yaml, the example file and the reference page agree."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from ruamel.yaml import YAML

from atp_core.config import AtpConfig, config_json_schema, env_name, load_config

DOCS = Path(__file__).parents[3] / "docs"
EXAMPLE = DOCS / "examples" / "atp.config.example.yaml"


def _options() -> list[tuple[str, ...]]:
    sections = typing.get_type_hints(AtpConfig)
    return [(name, field.name) for name, cls in sections.items() for field in attrs.fields(cls)]


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(config_json_schema())


def test_config_schema_is_valid_and_describes_every_option() -> None:
    """The schema passes the meta-schema and every option has a description and default."""
    schema = config_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "atp.config.yaml"
    for section, option in _options():
        prop = schema["$defs"][f"{section.capitalize()}Config"]["properties"][option]
        assert prop["description"]
        assert "default" in prop


def test_secret_options_are_write_only_strings() -> None:
    """Secrets appear in the schema as strings marked writeOnly."""
    web = config_json_schema()["$defs"]["WebConfig"]["properties"]["token"]
    assert {"type": "string", "writeOnly": True} in web["anyOf"]


def test_example_file_validates_and_loads(tmp_path: Path) -> None:
    """docs/examples/atp.config.example.yaml fits the schema and loads to the defaults' shape."""
    data: Any = YAML(typ="safe", pure=True).load(EXAMPLE.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == []
    shutil.copy(EXAMPLE, tmp_path / "atp.config.yaml")
    config = load_config(tmp_path, {})
    assert config.log.levels == {"httpx": "WARNING"}
    assert attrs.evolve(config, log=AtpConfig().log) == AtpConfig()
    assert {s for s, _ in _options()} == set(data)
    assert {(s, o) for s in data for o in data[s]} == set(_options())


def test_schema_refuses_what_the_loader_refuses() -> None:
    """Unknown keys, wrong types and out-of-range values fail schema validation too."""
    bad: dict[str, Any]
    for bad in ({"runner": {"paralel": 2}}, {"web": {"port": "x"}},
                {"runner": {"parallel": 0}}, {"sandbox": {"mode": "docker"}}, {"extra": {}}):
        assert not _validator().is_valid(bad), bad


def test_reference_page_documents_every_option_and_its_variable() -> None:
    """docs/configuration.md names each option and its ATP_* variable."""
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for path in _options():
        assert f"`{'.'.join(path)}`" in page, path
        assert f"`{env_name(path)}`" in page, path
