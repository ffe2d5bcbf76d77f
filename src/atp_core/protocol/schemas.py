"""Public JSON Schemas: the protocol messages (SPEC §1) and the suite file (SPEC §2).

The message schemas are generated from the attrs classes in ``_wire`` and then given the
rules those classes check in code (task id pattern, description length, version 1.x,
what an agent may leave out of an event). The suite file schema is written here on
purpose: the file format differs from the loaded ``Suite`` type (``test_suite`` key,
``runs_per_test``, ``pass_policy`` as a word or ``{rate: ...}``, ``${VAR}`` references).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from atp_core.protocol._schema import DRAFT, json_schema
from atp_core.protocol._wire import (
    MAX_DESCRIPTION,
    TASK_ID_RE,
    Constraints,
    Event,
    Request,
    Response,
)

VERSION_PATTERN = r"^1\.[0-9]+$"

_PAYLOADS: dict[str, dict[str, Any]] = {
    "tool_call": {
        "tool": {"type": "string"},
        "input": {},
        "output": {},
        "duration_ms": {"type": ["number", "null"]},
        "status": {"enum": ["success", "error"]},
        "error": {"type": ["string", "null"]},
    },
    "llm_request": {
        "model": {"type": "string"},
        "provider": {"type": "string"},
        "input_tokens": {"type": ["integer", "null"]},
        "output_tokens": {"type": ["integer", "null"]},
        "duration_ms": {"type": ["number", "null"]},
    },
    "reasoning": {"thought": {}, "plan": {}, "step": {}},
    "error": {
        "error_type": {"type": "string"},
        "message": {"type": "string"},
        "recoverable": {"type": "boolean"},
    },
    "progress": {
        "current_step": {"type": ["integer", "null"]},
        "percentage": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
        "message": {"type": ["string", "null"]},
    },
}


def protocol_schemas(*, strict: bool = False) -> dict[str, dict[str, Any]]:
    """The schemas of the three protocol messages, keyed ``request``, ``response``, ``event``.

    Args:
        strict: forbid unknown fields. The wire is forward compatible (ATP ignores and
            counts unknown fields), so the published schemas allow them; agent authors
            may use ``strict=True`` to catch typos.
    """
    request = json_schema(Request, strict=strict)
    _versioned(request)
    request["properties"]["task_id"].update(pattern=TASK_ID_RE.pattern)
    request["$defs"]["Task"]["properties"]["description"]["maxLength"] = MAX_DESCRIPTION
    request["properties"]["metadata"]["description"] = (
        "At least test_id, test_name, run_number and total_runs."
    )

    response = json_schema(Response, strict=strict)
    _versioned(response)
    response["properties"]["task_id"].update(pattern=TASK_ID_RE.pattern)
    file_path = response["$defs"]["FileArtifact"]["properties"]["path"]
    file_path["description"] = "Relative to the workspace; ATP refuses to write one with '..'."

    event = json_schema(Event, strict=strict)
    _versioned(event)
    # An agent may leave these out; ATP fills them in on receipt.
    event["required"] = ["event_type"]
    event["properties"]["task_id"].update(pattern=TASK_ID_RE.pattern)
    event["properties"]["sequence"]["minimum"] = 0
    event["allOf"] = [_payload_rule(kind, fields) for kind, fields in _PAYLOADS.items()]
    return {"request": request, "response": response, "event": event}


def _versioned(schema: dict[str, Any]) -> None:
    version = schema["properties"]["version"]
    version["pattern"] = VERSION_PATTERN
    version["description"] = "MAJOR.MINOR; any 1.x is accepted."


def _payload_rule(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "if": {"properties": {"event_type": {"const": kind}}, "required": ["event_type"]},
        "then": {"properties": {"payload": {"type": "object", "properties": fields}}},
    }


ENV_REF = {
    "type": "string",
    "pattern": r"^\$\{[A-Za-z_][A-Za-z0-9_]*(:-?[^}]*)?\}$",
    "description": "A ${VAR}, ${VAR:default} or ${VAR:-default} reference.",
}


def suite_schema(assertion_types: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of a suite file (``test_suite: ...``, SPEC §2).

    Args:
        assertion_types: the assertion type names to allow, normally
            ``atp_core.evaluators.assertion_types()`` (plus plugins). ``None`` allows any
            name; the loader still rejects unknown ones.
    """
    defs = _suite_defs(assertion_types)
    test_suite = {
        "type": "object",
        "properties": {
            "test_suite": {"type": "string", "minLength": 1, "description": "The suite's name."},
            "version": {"type": "string", "default": "1.0"},
            "description": {"type": "string"},
            "defaults": {"$ref": "#/$defs/Defaults"},
            "agents": {"type": "array", "items": {"$ref": "#/$defs/Agent"}},
            "tests": {"type": "array", "items": {"$ref": "#/$defs/Test"}, "minItems": 1},
            "tools": _closed({
                "search": _closed({"documents": {
                    "type": "string",
                    "description": "Directory of text documents, relative to the suite file.",
                }}, ["documents"]),
                "files": _closed({"root": {
                    "type": "string",
                    "description": "Directory the file tools read, relative to the suite file.",
                }}, ["root"]),
            }) | {"description": "Tools ATP serves to the agent at context.tools_endpoint."},
        },
        "required": ["test_suite", "tests"],
        "additionalProperties": False,
    }
    schema = {"$schema": DRAFT, "title": "ATP test suite", **test_suite, "$defs": defs}
    with_refs: dict[str, Any] = _allow_env_refs(schema)
    return with_refs


def _suite_defs(assertion_types: Iterable[str] | None) -> dict[str, Any]:
    constraints = json_schema(Constraints)
    del constraints["$schema"], constraints["title"]
    if assertion_types is None:
        type_schema: dict[str, Any] = {"type": "string", "minLength": 1}
    else:
        type_schema = {"enum": sorted(assertion_types)}
    fraction = {"type": "number", "minimum": 0, "maximum": 1}
    weight = {**fraction, "description": "The four weights sum to 1."}
    return {
        "Constraints": constraints,
        "Scoring": _closed(
            {f"{c}_weight": weight for c in ("quality", "completeness", "efficiency", "cost")}
        ),
        "PassPolicy": {
            "description": "How runs combine into the test verdict (default: all).",
            "oneOf": [
                {"enum": ["all", "any", "majority"]},
                _closed({"rate": {**fraction, "exclusiveMinimum": 0}}, required=["rate"]),
            ],
        },
        "Defaults": _closed({
            "runs_per_test": {"type": "integer", "minimum": 1, "default": 1},
            "timeout_seconds": {"type": "number", "exclusiveMinimum": 0, "default": 120},
            "constraints": {"$ref": "#/$defs/Constraints"},
            "scoring": {"$ref": "#/$defs/Scoring"},
            "pass_threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "pass_policy": {"$ref": "#/$defs/PassPolicy"},
        }),
        "Agent": _closed(
            {"name": {"type": "string", "minLength": 1},
             "type": {"type": "string", "description": "The adapter type, e.g. http or cli."},
             "config": {"type": "object"}},
            required=["name", "type"],
        ),
        "Task": _closed(
            {"description": {"type": "string", "minLength": 1, "maxLength": MAX_DESCRIPTION},
             "input_data": {"type": ["object", "null"]},
             "expected_artifacts": {"type": "array", "items": {"type": "string"}},
             "workspace_fixture": {"type": "string",
                                   "description": "A directory copied into each workspace."}},
            required=["description"],
        ),
        "Assertion": _closed(
            {"type": type_schema,
             "config": {"type": "object"},
             "critical": {"type": "boolean", "default": False},
             "weight": {"type": "number", "minimum": 0, "default": 1}},
            required=["type"],
        ),
        "Test": _closed(
            {"id": {"type": "string", "minLength": 1, "description": "Unique in the suite."},
             "name": {"type": "string", "minLength": 1},
             "description": {"type": "string"},
             "tags": {"type": "array", "items": {"type": "string"}},
             "task": {"$ref": "#/$defs/Task"},
             "constraints": {"$ref": "#/$defs/Constraints"},
             "assertions": {"type": "array", "items": {"$ref": "#/$defs/Assertion"}},
             "scoring": {"$ref": "#/$defs/Scoring"},
             "pass_threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
             "pass_policy": {"$ref": "#/$defs/PassPolicy"}},
            required=["id", "name", "task"],
        ),
        "EnvRef": ENV_REF,
    }


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _allow_env_refs(schema: Any) -> Any:
    """Let every number, integer and boolean be written as a ``${VAR}`` reference.

    The loader substitutes references in unquoted scalars and reads the result again,
    so ``runs_per_test: ${RUNS:3}`` is a valid integer once loaded.
    """
    if isinstance(schema, list):
        return [_allow_env_refs(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _allow_env_refs(value) for key, value in schema.items()}
    kinds = out.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if isinstance(kinds, list) and {"number", "integer", "boolean"} & set(kinds):
        rule = copy.deepcopy(out)
        return {"anyOf": [rule, {"$ref": "#/$defs/EnvRef"}]}
    return out
