"""What each column of a results or trajectories file means, as Arrow field metadata.

A Parquet file outlives the terminal it was made in: someone opens it in a notebook a
year later, or a reviewer receives it alone. Each field carries `description` (what it
is), and where it applies `unit` (its scale) or `labels` (the values a label column can
take, as JSON), so the file explains itself: pyarrow reads them with the schema
(`pq.read_schema(path).field("unity").metadata`). The store also keeps them, by column, in
the file's key-value metadata (`wargame.columns`, JSON), where tools that read only a
Parquet file's own metadata find them (DuckDB: `parquet_kv_metadata(path)`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pyarrow as pa

from wargame.engine.catalogue import catalogue
from wargame.engine.compiled import Scenario

__all__ = ["COLUMNS_KEY", "TURNS_KEY", "column_metadata", "columns_key_value", "described"]

COLUMNS_KEY = b"wargame.columns"
TURNS_KEY = b"wargame.turns"  # a trajectories table's metadata: the scenario's turns

_UNITS = {
    "initial": "0..100 (the dimension's scale)",
    "ideal": "0..100 (the dimension's scale)",
    "salience": "relative weight (normalised over the actor's concerns)",
    "capability": "0..1 (weight in collective decisions)",
    "seats": "share of seats, 0..1",
    "temperature": "score points",
    "parameter": "as the scenario uses it (see its label)",
}


Metadata = dict[str, str]


def _meta(
    description: str, unit: str | None = None, labels: Iterable[str] | None = None
) -> Metadata:
    meta = {"description": description}
    if unit is not None:
        meta["unit"] = unit
    if labels is not None:
        meta["labels"] = json.dumps(list(labels))
    return meta


def column_metadata(
    scenario: Scenario, when: str = "at the end of the game"
) -> dict[str, Metadata]:
    """Every column a results or trajectories table of `scenario` can have, described.

    `when` says at what moment the state's columns are taken ("at the end of the game",
    or "at the end of the turn" for trajectories).
    """
    spec = scenario.spec
    meta: dict[str, Metadata] = {
        "run": _meta(
            "the run's index in its batch: with the manifest's seed and design, "
            "`wargame replay --run K` plays it again alone",
        ),
        "turn": _meta(
            "half-year turns completed: 0 is the start, before any event; turn 1 is "
            f"{scenario.date(1)}, turn {scenario.turns} is {scenario.date(scenario.turns)}",
            unit="turns",
        ),
    }
    for number in catalogue(scenario):
        meta[f"input_{number.name}"] = _meta(
            f"sampled input: {number.label} ({number.basis}; range {number.low:g}..{number.high:g})"
            if number.ranged
            else f"sampled input: {number.label}",
            unit=_UNITS[number.kind],
        )
    for name, dim in spec.dimensions.items():
        meta[name] = _meta(
            f"{dim.label} {when}: 0 = {dim.low}; 100 = {dim.high}", unit="0..100 scale"
        )
    for name, outcome in spec.outcomes.items():
        meta[name] = _meta(
            f"{outcome.label} {when}, derived from the state: {outcome.expr}", unit="0..100 scale"
        )
    for name, fact in spec.facts.items():
        meta[name] = _meta(f"{fact.label} {when}", labels=fact.values)
    for actor in scenario.actors:
        meta[f"score_{actor.id}"] = _meta(
            f"{actor.name}'s score {when}: 100 minus the salience-weighted distance of the "
            "world from its ideal points",
            unit="score points, 0..100",
        )
    for event in scenario.events:
        meta[f"event_{event.id}"] = _meta(
            f"{event.spec.title}: the option taken the last time it occurred "
            "(null: it never occurred)",
            labels=event.option_ids,
        )
    return meta


def described(schema: pa.Schema, metadata: Mapping[str, Mapping[str, str]]) -> pa.Schema:
    """`schema` with each field's description attached (fields not in `metadata` unchanged)."""
    return pa.schema(
        [f.with_metadata(metadata[f.name]) if f.name in metadata else f for f in schema],
        metadata=schema.metadata,
    )


def columns_key_value(schema: pa.Schema) -> dict[bytes, bytes]:
    """The fields' descriptions as one file-level metadata entry (for DuckDB and others that
    do not read Arrow field metadata)."""
    table = {
        f.name: {k.decode(): v.decode() for k, v in (f.metadata or {}).items()} for f in schema
    }
    return {COLUMNS_KEY: json.dumps(table, ensure_ascii=False).encode()}
