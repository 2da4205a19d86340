"""Actor profiles: what an actor wants, resolved against a scenario's dimensions.

A profile file (actors/profiles/*.yaml, or a scenario's own) is validated by
`wargame.engine.schema.ActorFile`; `load_profile` checks what the schema cannot (seat shares,
saliences, known dimensions) and gives the `Profile` the agents play: one `Member` for an
actor, or one per bloc (the US Congress's factions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wargame.engine.errors import Problem, ScenarioError, expected_one_of
from wargame.engine.schema import ActorFile, Preference
from wargame.engine.validation import pydantic_problems
from wargame.engine.yamlio import Document, read_yaml

__all__ = ["PROFILE_DIR", "Member", "Profile", "bundled_actors", "load_actor", "load_profile"]

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"


def bundled_actors() -> dict[str, Path]:
    """Actor profile ids shipped with the package, mapped to their files."""
    return {p.stem: p for p in sorted(PROFILE_DIR.glob("*.yaml"))}


@dataclass(frozen=True)
class Member:
    """Someone whose preferences count: an actor itself, or one bloc of it."""

    id: str
    name: str
    key: str  # how its numbers are named as inputs: "turkey", "us_congress.rep_restraint"
    seat_field: str | None  # state field holding the bloc's seat share; None for a whole actor
    seats: float
    ideal: Mapping[str, float]
    salience: Mapping[str, float]  # normalised to sum to 1 over the scenario's dimensions
    raw_salience: Mapping[str, float]  # as written in the profile
    party: str | None = None


@dataclass(frozen=True)
class Profile:
    """An actor resolved against a scenario's dimensions."""

    id: str
    name: str
    spec: ActorFile
    file: str
    capability: float | None  # None: it takes no part in weighted collective decisions
    temperature: float
    members: tuple[Member, ...]


def load_actor(path: Path, dimensions: Mapping[str, Any] | None = None) -> Profile | None:
    """Validate one actor file on its own (dimension names are checked only when given)."""
    doc = read_yaml(path)
    problems: list[Problem] = []
    profile = load_profile(doc, dimensions, problems)
    if problems:
        raise ScenarioError(problems)
    return profile


def load_profile(
    doc: Document, dimensions: Mapping[str, Any] | None, problems: list[Problem]
) -> Profile | None:
    try:
        spec = ActorFile.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, doc, ActorFile))
        return None
    before = len(problems)
    for what, cited in (("capability", spec.capability), ("temperature", spec.temperature)):
        if cited is not None and (cited.value < 0 or (what == "capability" and cited.value > 1)):
            bound = "0..1" if what == "capability" else ">= 0"
            problems.append(doc.problem((what, "value"), f"must be {bound} (got {cited.value!r})"))
    problems.extend(_seat_problems(doc, spec))
    sources: list[
        tuple[tuple[str | int, ...], str | None, str, float, dict[str, Preference], str | None]
    ]
    if spec.blocs:
        sources = [
            (("blocs", b), b, bloc.name, bloc.seats.value, bloc.preferences, bloc.party)
            for b, bloc in spec.blocs.items()
        ]
        total = sum(bloc.seats.value for bloc in spec.blocs.values())
        if abs(total - 1) > 1e-6:
            problems.append(
                doc.problem(("blocs",), f"bloc seat shares must add up to 1 (got {total:g})")
            )
    else:
        sources = [((), None, spec.name, 1.0, spec.preferences, None)]
    members = []
    for loc, bloc_id, name, seats, preferences, party in sources:
        if dimensions is not None:
            for dim in preferences:
                if dim not in dimensions:
                    message = f"unknown dimension {expected_one_of(dim, dimensions)}"
                    problems.append(doc.problem((*loc, "preferences", dim), message, key=True))
        # math.fsum: the same correctly rounded total on every Python (3.12's sum compensates)
        total = math.fsum(
            p.salience for d, p in preferences.items() if dimensions is None or d in dimensions
        )
        if total <= 0:
            problems.append(
                doc.problem((*loc, "preferences"), "at least one salience must be above 0")
            )
            continue
        # a salience of 0 stays: with a range, Monte Carlo can make it count in some runs
        counted = {
            d: p.salience
            for d, p in preferences.items()
            if (p.salience > 0 or p.salience_range) and (dimensions is None or d in dimensions)
        }
        members.append(
            Member(
                id=bloc_id or spec.id,
                name=name,
                key=f"{spec.id}.{bloc_id}" if bloc_id else spec.id,
                seat_field=f"seats_{bloc_id}" if bloc_id else None,
                seats=seats,
                ideal={d: p.ideal for d, p in preferences.items()},
                salience={d: v / total for d, v in counted.items()},
                raw_salience=counted,
                party=party,
            )
        )
    if len(problems) > before:
        return None
    return Profile(
        spec.id,
        spec.name,
        spec,
        doc.file,
        spec.capability.value if spec.capability is not None else None,
        spec.temperature.value,
        tuple(members),
    )


def _seat_problems(doc: Document, spec: ActorFile) -> list[Problem]:
    """A bloc's seat share is a share: from 0 to 1."""
    return [
        doc.problem(
            ("blocs", bloc_id, "seats", "value"), f"must be 0..1 (got {bloc.seats.value!r})"
        )
        for bloc_id, bloc in spec.blocs.items()
        if not 0 <= bloc.seats.value <= 1
    ]
