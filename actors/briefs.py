"""Role briefs: what an actor wants, in words and numbers, with the quotes behind them.

A brief is data (the interfaces format it): the actor's goals, its ideal points and
saliences sorted by how much it cares, its red lines, and its decision rights in a
scenario (where it decides alone, sets the agenda, holds a veto, votes or bargains).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wargame.actors.agents import CLEAR_MARGIN
from wargame.actors.profiles import Profile
from wargame.engine.compiled import Scenario

__all__ = ["Brief", "Stance", "error_rate", "role_brief"]

_ROLE_NAMES = {
    "decider": "decides alone",
    "setter": "sets the agenda",
    "veto": "holds a veto",
    "voter": "votes",
    "demander": "makes demands",
    "asked": "answers demands",
    "member": "decides with others, weighted by capability",
}


@dataclass(frozen=True)
class Stance:
    """An actor's (or bloc's) position on one issue dimension."""

    dimension: str
    label: str
    ideal: float
    salience: float  # share of what the member cares about, 0..1
    wants: str  # the meaning of the end of the scale it leans to
    quote: str | None
    reason: str | None
    assumption: str | None  # the modeller's choice of level and salience, where there is one
    ideal_range: tuple[float, float] | None


@dataclass(frozen=True)
class Brief:
    actor: str
    name: str
    summary: str
    capability: float | None  # None: it takes no part in weighted collective decisions
    temperature: float
    errs: float  # how often it takes a clearly worse option, of two (see error_rate)
    stances: dict[str, list[Stance]]  # member name -> stances, most salient first
    red_lines: list[tuple[str, str | None]]  # (text, quote)
    rights: dict[str, list[str]]  # right -> event titles


def _stances(scenario: Scenario, profile: Profile, member_index: int) -> list[Stance]:
    member = profile.members[member_index]
    spec = profile.spec
    raw = spec.preferences if not spec.blocs else spec.blocs[member.id].preferences
    stances = []
    for dim, weight in sorted(member.salience.items(), key=lambda kv: -kv[1]):
        meaning = scenario.spec.dimensions[dim]
        ideal = member.ideal[dim]
        wants = meaning.high if ideal > 60 else meaning.low if ideal < 40 else "the middle way"
        pref = raw[dim]
        stances.append(
            Stance(
                dim,
                meaning.label,
                ideal,
                weight,
                wants,
                pref.quote,
                pref.reason,
                pref.assumption,
                pref.ideal_range,
            )
        )
    return stances


def error_rate(temperature: float) -> float:
    """How often an actor at this temperature takes an option CLEAR_MARGIN worse than the
    other, in a choice between two."""
    if temperature <= 0:
        return 0.0
    return 1.0 / (1.0 + math.exp(CLEAR_MARGIN / temperature))


def role_brief(scenario: Scenario, actor_id: str) -> Brief:
    """The brief of one of the scenario's actors."""
    profile = scenario.actor(actor_id)
    rights: dict[str, list[str]] = {}
    for event in scenario.events:
        for role, actor in event.roles():
            if actor == actor_id:
                rights.setdefault(_ROLE_NAMES[role], []).append(event.spec.title)
    return Brief(
        actor=profile.id,
        name=profile.name,
        summary=profile.spec.summary,
        capability=profile.capability,
        temperature=profile.temperature,
        errs=error_rate(profile.temperature),
        stances={m.name: _stances(scenario, profile, i) for i, m in enumerate(profile.members)},
        red_lines=[(r.text, r.quote) for r in profile.spec.red_lines],
        rights=rights,
    )
