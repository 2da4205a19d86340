"""Every number of a scenario and its actors, named, with where it comes from.

A number is *cited* (a verbatim passage of the paper supports it) or *assumed* (the
modeller's, with a one-line reason and a [low, high] range). Each has one input name,
used by `--set`, `--vary`, the results' `input_*` columns and sensitivity analysis:

    p_house_flip                          a scenario parameter
    spending                              a dimension's initial value
    turkey.capability                     an actor's weight in collective decisions
    turkey.temperature                    an actor's decision noise, in score points
    turkey.third_state_access.ideal       an actor's ideal point on a dimension
    turkey.third_state_access.salience    ... and how much it cares (before normalising)
    us_congress.rep_restraint.seats       a bloc's initial seat share
    us_congress.rep_restraint.ukraine.ideal

Every number with a range is an uncertain input that Monte Carlo can vary.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from wargame.actors.profiles import Profile
from wargame.engine.compiled import Scenario

__all__ = [
    "KINDS",
    "STRUCTURAL",
    "Number",
    "bare_numbers",
    "catalogue",
    "expression_sources",
    "unread",
]

KINDS = ("parameter", "initial", "capability", "temperature", "ideal", "salience", "seats")


@dataclass(frozen=True)
class Number:
    """One named number of a scenario or of one of its actors."""

    name: str
    kind: str  # one of KINDS
    label: str  # what it is, in words
    value: float
    low: float | None
    high: float | None
    quote: str | None
    reason: str | None  # how the quote gives the number
    assumption: str | None  # why the modeller chose it, where the paper is silent
    owner: str  # "scenario" or the actor's id

    @property
    def basis(self) -> str:
        """'assumed' when the modeller chose it (even with a quote for its direction)."""
        return "assumed" if self.assumption else "cited"

    @property
    def ranged(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def uncertain(self) -> bool:
        """A range wider than one point: something for Monte Carlo to vary."""
        return self.ranged and self.low < self.high  # type: ignore[operator]


def _number(
    name: str, kind: str, label: str, value: float, bounds: Any, cited: Any, owner: str
) -> Number:
    low, high = bounds if bounds is not None else (None, None)
    return Number(
        name,
        kind,
        label,
        float(value),
        low,
        high,
        cited.quote,
        cited.reason,
        getattr(cited, "assumption", None),
        owner,
    )


def _actor_numbers(profile: Profile, dims: dict[str, Any]) -> list[Number]:
    spec, actor = profile.spec, profile.id
    numbers = []
    if spec.capability is not None:
        numbers.append(
            _number(
                f"{actor}.capability",
                "capability",
                f"{profile.name}: weight in collective decisions",
                spec.capability.value,
                spec.capability.range,
                spec.capability,
                actor,
            )
        )
    numbers.append(
        _number(
            f"{actor}.temperature",
            "temperature",
            f"{profile.name}: decision noise (score points)",
            spec.temperature.value,
            spec.temperature.range,
            spec.temperature,
            actor,
        )
    )
    for member in profile.members:
        if member.seat_field:
            bloc = spec.blocs[member.id]
            numbers.append(
                _number(
                    f"{member.key}.seats",
                    "seats",
                    f"{member.name}: initial seat share",
                    bloc.seats.value,
                    bloc.seats.range,
                    bloc.seats,
                    actor,
                )
            )
        preferences = spec.blocs[member.id].preferences if member.seat_field else spec.preferences
        for dim, preference in preferences.items():
            if dim not in dims:
                continue
            what = f"{member.name} on {dims[dim].label.lower()}"
            numbers.append(
                _number(
                    f"{member.key}.{dim}.ideal",
                    "ideal",
                    f"{what}: ideal point",
                    preference.ideal,
                    preference.ideal_range,
                    preference,
                    actor,
                )
            )
            numbers.append(
                _number(
                    f"{member.key}.{dim}.salience",
                    "salience",
                    f"{what}: salience",
                    preference.salience,
                    preference.salience_range,
                    preference,
                    actor,
                )
            )
    return numbers


def catalogue(scenario: Scenario) -> list[Number]:
    """Every number of the scenario and its actors, in declared order."""
    spec = scenario.spec
    numbers = [
        _number(name, "parameter", p.label, p.value, p.range, p, "scenario")
        for name, p in spec.parameters.items()
    ]
    numbers += [
        _number(name, "initial", f"{d.label}: initial value", d.initial, d.range, d, "scenario")
        for name, d in spec.dimensions.items()
    ]
    for profile in scenario.actors:
        numbers += _actor_numbers(profile, dict(spec.dimensions))
    return numbers


STRUCTURAL = frozenset({0.0, 1.0, 100.0})
"""The numbers an expression may write bare: the ends of the scales (0..1, 0..100)."""


def expression_sources(scenario: Scenario) -> list[tuple[str, str]]:
    """(where, source) of every expression in the scenario, for checks and listings."""
    spec = scenario.spec
    found = [(f"outcomes.{n}.expr", str(o.expr)) for n, o in spec.outcomes.items()]
    found += [(f"drift.{t}", str(e)) for t, e in spec.drift.items()]
    for event in spec.events:
        where = f"events.{event.id}"
        for key in ("condition", "probability"):
            if getattr(event, key) is not None:
                found.append((f"{where}.{key}", str(getattr(event, key))))
        for option in event.options:
            at = f"{where}.options.{option.id}"
            for key in ("available", "probability"):
                if getattr(option, key) is not None:
                    found.append((f"{at}.{key}", str(getattr(option, key))))
            for group in ("effects", "projected"):
                for target, source in getattr(option, group).items():
                    found.append((f"{at}.{group}.{target}", str(source)))
    return found


def bare_numbers(source: str) -> list[float]:
    """Numbers written into an expression's text, other than the scales' ends."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return []
    return [
        float(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and float(node.value) not in STRUCTURAL
    ]


def unread(scenario: Scenario) -> list[str]:
    """Facts and parameters that no expression reads and no rule uses: dead weight."""
    read: set[str] = set()
    for _, fn in (*scenario.outcomes, *scenario.drift):
        read |= fn.names
    for event in scenario.events:
        read |= {c for fn in (event.condition, event.probability) if fn for c in fn.names}
        read |= {getattr(event.spec, "agenda", None) or ""}
        for option in event.options:
            for maybe in (option.available, option.probability):
                read |= maybe.names if maybe else set()
            for _, fn in (*option.effects, *option.projected):
                read |= fn.names
    declared = [*scenario.spec.facts, *scenario.spec.parameters]
    return [name for name in declared if name not in read]
