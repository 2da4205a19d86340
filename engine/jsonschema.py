"""JSON Schema (draft-07) of scenario and actor files, for editor completion.

Pydantic writes JSON Schema 2020-12; editors' YAML plugins mostly speak draft-07, so
the few keywords that differ (`$defs`, `prefixItems`) are rewritten.
"""

from __future__ import annotations

from typing import Any

from wargame.engine.schema import ActorFile, ScenarioFile

__all__ = ["json_schema"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


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
