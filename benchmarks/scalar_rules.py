"""The decision rules, for one event in one game: which option it ends with.

- chance:     nature draws by the options' weights.
- single:     the decider chooses by its logit.
- veto:       the setter chooses among the options no veto player rejects against the
              status quo (which is always open).
- vote:       the setter proposes (its blocs of the agenda party, if the event names an
              agenda fact); each voter's blocs vote yes or no by their acceptance of the
              proposal; it passes with `threshold` of the voters' capability.
- collective: each member backs an open option with its capability; the most backed
              wins, and a tie keeps the status quo.
- bargain:    the demander makes the demand it expects to pay best, knowing the chance
              that the party asked accepts; the party asked accepts or refuses.

Every draw is the engine's counter-based draw for this event, the purpose and the actor:
`("choose", "hawk")` is drawn at the site `access_deal/choose/hawk`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Protocol

from benchmarks.scalar_agents import Actor, Projection, add_up
from benchmarks.scalar_expressions import State
from benchmarks.scalar_scenario import Event

__all__ = ["Game", "Round", "decide"]


class Game(Protocol):
    """What a rule needs of the game: its state, actors and draws."""

    state: State
    actors: Mapping[str, Actor]

    def draw(self, event_id: str, *purpose: str) -> float: ...


@dataclass
class Round:
    """One event being decided in one game, from the state before it."""

    game: Game
    event: Event
    available: list[bool]
    projections: list[Projection]
    _utilities: dict[str, list[float]] = field(default_factory=dict)

    def draw(self, *purpose: str) -> float:
        return self.game.draw(self.event.id, *purpose)

    def actor(self, actor_id: str) -> Actor:
        return self.game.actors[actor_id]

    def utilities(self, actor_id: str) -> list[float]:
        """The actor's utility of each option (computed once per event)."""
        if actor_id not in self._utilities:
            actor = self.actor(actor_id)
            self._utilities[actor_id] = actor.utilities(self.game.state, self.projections)
        return self._utilities[actor_id]

    def choose(self, actor_id: str, allowed: Sequence[bool], purpose: str) -> int:
        """The actor's logit choice among the allowed options, by its own utilities."""
        draw = self.draw(purpose, actor_id)
        return self.actor(actor_id).choose(self.utilities(actor_id), allowed, draw)

    def status_quo(self) -> int:
        return self.event.index(self.event.spec.status_quo)


def decide(round_: Round) -> int:
    """The option the event ends with (-1: nothing could be chosen)."""
    return _RULES[round_.event.rule](round_)


def _chance(r: Round) -> int:
    state = r.game.state
    weights = [
        max(0.0, o.probability(state)) if ok and o.probability else 0.0
        for o, ok in zip(r.event.options, r.available)
    ]
    total = add_up(weights)
    if total <= 0:
        return -1
    threshold = r.draw("chance") * total
    passed = sum(edge <= threshold for edge in accumulate(weights))
    last = max(i for i, w in enumerate(weights) if w > 0)  # never past the last weighted one
    return min(passed, last)


def _single(r: Round) -> int:
    return r.choose(r.event.spec.decider, r.available, "choose")


def _veto(r: Round) -> int:
    acceptable = _unvetoed(r, r.event.spec.vetoes, r.status_quo())
    return r.choose(r.event.spec.setter, acceptable, "choose")


def _unvetoed(r: Round, vetoes: Sequence[str], status_quo: int) -> list[bool]:
    """The available options no veto player would rather replace by the status quo."""
    acceptable = list(r.available)
    for player in vetoes:
        actor, utilities = r.actor(player), r.utilities(player)
        for o, option in enumerate(r.event.options):
            if o == status_quo:
                continue
            chance = actor.acceptance(utilities[o], utilities[status_quo])
            if not r.draw("accept", player, option.id) < chance:
                acceptable[o] = False
    acceptable[status_quo] = True
    return acceptable


def _collective(r: Round) -> int:
    spec = r.event.spec
    status_quo = r.status_quo()
    open_ = _unvetoed(r, spec.vetoes, status_quo)
    support = [0.0] * len(open_)
    for member in spec.members:
        backed = r.choose(member, open_, "back")
        if backed >= 0:
            support[backed] += r.actor(member).capability
    support = [s if ok else -1.0 for s, ok in zip(support, open_)]
    best = max(support)
    return status_quo if support.count(best) > 1 else support.index(best)


def _vote(r: Round) -> int:
    spec = r.event.spec
    status_quo = r.status_quo()
    proposal = _proposal(r, status_quo)
    if proposal < 0:
        return status_quo
    state = r.game.state
    yes = weight = 0.0
    for voter in spec.voters:
        actor = r.actor(voter)
        seats = actor.seats(state)
        share = actor.capability / add_up(seats)
        votes = []
        for bloc in actor.blocs:
            utilities = bloc.utilities(state, r.projections)
            chance = actor.acceptance(utilities[proposal], utilities[status_quo])
            votes.append(r.draw("vote", bloc.id) < chance)
        yes = yes + add_up(seat * share * vote for seat, vote in zip(seats, votes))
        weight = weight + actor.capability
    share_yes = yes / weight if weight > 0 else 0.0
    return proposal if share_yes >= spec.threshold - 1e-12 else status_quo


def _proposal(r: Round, status_quo: int) -> int:
    """What is put to the vote: the setter's pick (by its blocs of the party the agenda fact
    names, if any), or else the first open option; -1 when nothing but the status quo is open."""
    spec = r.event.spec
    proposals = [ok and o != status_quo for o, ok in enumerate(r.available)]
    if not spec.setter:
        return proposals.index(True) if any(proposals) else -1
    setter = r.actor(spec.setter)
    if spec.agenda is None:
        utilities = r.utilities(spec.setter)
    else:
        party = str(r.game.state[spec.agenda])
        utilities = setter.utilities(r.game.state, r.projections, party)
    return setter.choose(utilities, proposals, r.draw("propose", spec.setter))


def _bargain(r: Round) -> int:
    spec = r.event.spec
    refusal = r.event.index(spec.refusal)
    asked, asked_u = r.actor(spec.asked), r.utilities(spec.asked)
    accept = [asked.acceptance(u, asked_u[refusal]) for u in asked_u]
    accept[refusal] = 0.0  # holding out asks nothing
    demander_u = r.utilities(spec.demander)
    expected = [a * u + (1 - a) * demander_u[refusal] for a, u in zip(accept, demander_u)]
    options = list(r.available)
    options[refusal] = True
    draw = r.draw("demand", spec.demander)
    demand = r.actor(spec.demander).choose(expected, options, draw)
    if demand != refusal and r.draw("answer", spec.asked) < accept[demand]:
        return demand
    return refusal


_RULES: dict[str, Callable[[Round], int]] = {
    "chance": _chance,
    "single": _single,
    "veto": _veto,
    "vote": _vote,
    "collective": _collective,
    "bargain": _bargain,
}
