"""A scenario once loaded: immutable, its expressions compiled, shared by every run.

`wargame.engine.scenario.load_scenario` builds a `Scenario`; the engine plays its
`CompiledEvent`s. Nothing here reads files or validates: that is the loader's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from wargame.actors.profiles import Profile
from wargame.engine.expressions import Compiled, FactType
from wargame.engine.schema import (
    BargainEvent,
    CollectiveEvent,
    EventSpec,
    ScenarioFile,
    SingleEvent,
    VetoEvent,
    VoteEvent,
)

__all__ = ["CompiledEvent", "CompiledOption", "Scenario"]


@dataclass(frozen=True)
class CompiledOption:
    id: str
    label: str
    narrative: str | None
    available: Compiled | None
    probability: Compiled | None
    effects: tuple[tuple[str, Compiled], ...]
    projected: tuple[tuple[str, Compiled], ...] = ()  # what deciders expect, never applied


@dataclass(frozen=True)
class CompiledEvent:
    """An event ready to run: when it may fire, who decides, and its compiled options."""

    spec: EventSpec
    index: int
    first: int
    last: int
    condition: Compiled | None
    probability: Compiled | None
    options: tuple[CompiledOption, ...]
    agenda: tuple[str, ...] = ()  # a vote's agenda fact's labels: the parties that can lead

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def rule(self) -> str:
        return self.spec.rule

    @property
    def drawn(self) -> bool:
        """A deck event (drawn by its probability) rather than a scheduled one."""
        return self.probability is not None

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def option_index(self, option_id: str) -> int:
        return self.option_ids.index(option_id)

    def option(self, option_id: str | None) -> CompiledOption | None:
        """The option with this id; None for no option (an event that did not happen)."""
        if option_id is None or option_id not in self.option_ids:
            return None
        return self.options[self.option_index(option_id)]

    def outcome_label(self, option_id: str | None) -> str:
        """What a player reads for an option taken: its label, or that nothing happened."""
        option = self.option(option_id)
        return option.label if option is not None else "nothing happened"

    def roles(self) -> list[tuple[str, str]]:
        """(role, actor) pairs of everyone who decides on this event."""
        match self.spec:
            case SingleEvent(decider=decider):
                return [("decider", decider)]
            case VetoEvent(vetoes=vetoes, setter=setter):
                return [*(("veto", a) for a in vetoes), ("setter", setter)]
            case VoteEvent(setter=setter, voters=voters):
                return [*([("setter", setter)] if setter else []), *(("voter", a) for a in voters)]
            case CollectiveEvent(vetoes=vetoes, members=members):
                return [*(("veto", a) for a in vetoes), *(("member", a) for a in members)]
            case BargainEvent(demander=demander, asked=asked):
                return [("demander", demander), ("asked", asked)]
        return []


@dataclass(frozen=True)
class Scenario:
    """A validated, compiled scenario. Immutable; shared by every run and chunk."""

    spec: ScenarioFile
    file: str
    digest: str
    actors: tuple[Profile, ...]
    facts: Mapping[str, FactType]
    outcomes: tuple[tuple[str, Compiled], ...]
    drift: tuple[tuple[str, Compiled], ...]
    events: tuple[CompiledEvent, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def turns(self) -> int:
        return self.spec.turns

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(self.spec.dimensions)

    @property
    def parameters(self) -> dict[str, float]:
        return {name: p.value for name, p in self.spec.parameters.items()}

    @cached_property
    def seat_fields(self) -> frozenset[str]:
        return frozenset(m.seat_field for a in self.actors for m in a.members if m.seat_field)

    def _played_expressions(self) -> list[Compiled]:
        """Every expression evaluated while events are played (not the outcomes' own)."""
        compiled = [fn for _, fn in self.drift]
        for event in self.events:
            compiled += [c for c in (event.condition, event.probability) if c is not None]
            for option in event.options:
                compiled += [c for c in (option.available, option.probability) if c is not None]
                compiled += [fn for _, fn in (*option.effects, *option.projected)]
        return compiled

    @cached_property
    def reads_scores(self) -> bool:
        """Whether any condition, probability, effect or outcome uses an actor's score."""
        compiled = [*self._played_expressions(), *(fn for _, fn in self.outcomes)]
        return any(name.startswith("score_") for fn in compiled for name in fn.names)

    @cached_property
    def reads_outcomes(self) -> bool:
        """Whether playing an event reads a derived outcome: a condition, probability or
        effect, or an actor whose ideal points include one. If not, outcomes need computing
        only where someone looks at them (a turn's end, an explained event)."""
        outcomes = {name for name, _ in self.outcomes}
        valued = {dim for a in self.actors for m in a.members for dim in m.ideal}
        read = {name for fn in self._played_expressions() for name in fn.names}
        return bool(outcomes & (read | valued))

    def actor(self, actor_id: str) -> Profile:
        return next(a for a in self.actors if a.id == actor_id)

    def event(self, event_id: str) -> CompiledEvent:
        return next(e for e in self.events if e.id == event_id)

    def date(self, turn: int) -> str:
        """The half-year a turn covers: turn 1 is the scenario's start."""
        year, month = (int(x) for x in self.spec.start.split("-"))
        months = year * 12 + month - 1 + 6 * (turn - 1)
        return f"{'H1' if months % 12 < 6 else 'H2'} {months // 12}"
