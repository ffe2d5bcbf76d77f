"""``atp schema protocol|suite|config|report``: print a JSON Schema."""

from __future__ import annotations

import argparse
import json
from typing import Any

KINDS = ("protocol", "suite", "config", "report")


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser("schema", help="print a JSON Schema",
                            description="Print the JSON Schema of the protocol messages, the "
                            "suite file, the config file or the JSON report.")
    p.add_argument("kind", choices=KINDS)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the schema as indented JSON."""
    print(json.dumps(schema_for(args.kind), indent=2, sort_keys=True))
    return 0


def schema_for(kind: str) -> dict[str, Any]:
    """The schema document for one kind."""
    if kind == "protocol":
        from atp_core.protocol.schemas import protocol_schemas

        return {"$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "ATP Protocol v1", "$defs": protocol_schemas()}
    if kind == "suite":
        from atp_core.evaluators import assertion_types
        from atp_core.protocol.schemas import suite_schema

        return suite_schema(assertion_types())
    if kind == "config":
        from atp_core.config import config_json_schema

        return config_json_schema()
    from atp_core.reporters import report_json_schema

    return report_json_schema()
