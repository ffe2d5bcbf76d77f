"""Every protocol and result type survives unstructure → structure, and its data fits its schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atp_core.protocol import structure, unstructure
from atp_core.protocol._schema import json_schema
from atp_core.protocol.schemas import protocol_schemas

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TYPES = [
    "CheckResult", "Constraints", "Context", "Event", "FileArtifact", "Metrics",
    "ReferenceArtifact", "Request", "Response", "RunRecord", "StructuredArtifact",
    "SuiteRunResult", "Task", "TestResult", "TestStats",
]


def _pick(strategies: dict[type, Any], name: str) -> tuple[type, Any]:
    cls = next(c for c in strategies if c.__name__ == name)
    return cls, strategies[cls]


@pytest.mark.parametrize("name", TYPES)
@FAST
@given(data=st.data())
def test_structure_of_unstructure_is_identity(
    name: str, strategies: dict[type, Any], data: st.DataObject
) -> None:
    """structure(unstructure(x)) == x, also after a trip through JSON text."""
    cls, strategy = _pick(strategies, name)
    value = data.draw(strategy)
    plain = json.loads(json.dumps(unstructure(value)))
    assert structure(plain, cls) == value


@pytest.mark.parametrize("name", TYPES)
@FAST
@given(data=st.data())
def test_unstructured_value_validates_against_generated_schema(
    name: str, strategies: dict[type, Any], data: st.DataObject
) -> None:
    """What the converter writes is accepted by the strict schema generated from the class."""
    cls, strategy = _pick(strategies, name)
    validator = jsonschema.Draft202012Validator(json_schema(cls, strict=True))
    plain: Any = json.loads(json.dumps(unstructure(data.draw(strategy))))
    errors = [e.message for e in validator.iter_errors(plain)]
    assert errors == []


@pytest.mark.parametrize("kind", ["request", "response", "event"])
@FAST
@given(data=st.data())
def test_messages_validate_against_published_protocol_schemas(
    kind: str, strategies: dict[type, Any], data: st.DataObject
) -> None:
    """Requests, responses and events written by ATP fit the published (strict) schemas."""
    _, strategy = _pick(strategies, kind.capitalize())
    schema = protocol_schemas(strict=True)[kind]
    plain = json.loads(json.dumps(unstructure(data.draw(strategy))))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(plain)]
    assert errors == []
