"""JSON Schema (draft-07) of scenario and actor files, for editor completion.

Pydantic writes JSON Schema 2020-12; editors' YAML plugins mostly speak draft-07, so
the few keywords that differ (`$defs`, `prefixItems`) are rewritten.

The package ships both as files (`schemas/scenario.schema.json`, `schemas/actor.schema.json`)
so that an editor can be pointed at them without running anything: a scenario's first line
`# yaml-language-server: $schema=<schema_path("scenario")>`. A test keeps the files equal to
what `json_schema` makes (`python -m wargame.engine.jsonschema` writes them again).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wargame.engine.schema import ActorFile, ScenarioFile

__all__ = ["KINDS", "json_schema", "schema_path", "schema_text"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
KINDS = ("scenario", "actor")
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


def schema_path(kind: str = "scenario") -> Path:
    """The installed JSON Schema file of scenario or actor files."""
    return SCHEMA_DIR / f"{kind}.schema.json"


def schema_text(kind: str = "scenario") -> str:
    """The schema as the shipped file holds it (indented JSON, one newline at the end)."""
    return json.dumps(json_schema(kind), indent=2) + "\n"


def json_schema(kind: str = "scenario") -> dict[str, Any]:
    model = ScenarioFile if kind == "scenario" else ActorFile
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    schema = _draft07(schema)
    schema["definitions"] = schema.pop("$defs", {})
    return {"$schema": DRAFT_07, **schema}


def _draft07(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _draft07(value) for key, value in node.items() if key != "discriminator"}
    if "prefixItems" in out:
        out["items"] = out.pop("prefixItems")
        out.setdefault("additionalItems", False)
    if "$defs" in out:
        out["$defs"] = {name: _draft07(d) for name, d in out["$defs"].items()}
    return out


if __name__ == "__main__":  # regenerate the shipped files after a change to engine/schema.py
    for name in KINDS:
        schema_path(name).write_text(schema_text(name), encoding="utf-8")
