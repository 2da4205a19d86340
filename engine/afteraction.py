"""An after-action report's content, as data: what happened in a game, who decided, why.

Built from a `Game` (a live one, or one loaded from its save): every event in order with its
rule, who decided, the odds and draws, the votes and vetoes, the teams' own choices with the
effects the scenario states for them, the options that were closed and why, and what changed;
every facilitator action with its reason (overrides and injections from the decision log,
roll-backs from the journal); each indicator over the turns; the final scores; and, given AI
games of the same scenario, how typical the game was. Interfaces render it (tui/report.py:
Markdown and HTML). Every name is given with the scenario's label.
"""

from __future__ import annotations

from dataclasses import dataclass

from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision, Resolution
from wargame.engine.game import Game
from wargame.engine.indicators import indicator_names, label, value_text
from wargame.engine.preview import ClosedOption
from wargame.engine.typicality import AIGames, Typicality, typicality

__all__ = [
    "AfterAction",
    "Choice",
    "Entry",
    "FacilitatorAction",
    "after_action",
    "facilitator_actions",
]


@dataclass(frozen=True)
class Choice:
    """A team's own decision on an event, with the effects the scenario states for it."""

    actor: str  # the actor's name
    role: str
    picked: str  # the option's label (for a veto player: the options it accepts)
    stated: tuple[str, ...]  # "Military mobility ← mobility + mobility_full"


@dataclass(frozen=True)
class Entry:
    """One event of the game, as it went."""

    turn: int
    date: str
    event: str
    title: str
    outcome: str  # the option's label, or "nothing happened"
    rule: str
    deciders: tuple[str, ...]  # "role: actor" for everyone with a say
    resolution: Resolution
    choices: tuple[Choice, ...]  # the teams' own decisions on it
    closed: tuple[ClosedOption, ...]  # options their conditions closed when it resolved
    changes: tuple[tuple[str, str, str], ...]  # (label, before, after) as text
    injected: str | None = None  # the facilitator's reason, if it injected the event


@dataclass(frozen=True)
class FacilitatorAction:
    turn: int
    date: str
    kind: str  # override | inject | rollback
    event: str  # the event's title ("" for a roll-back)
    detail: str  # what was set or done, in words
    reason: str


@dataclass(frozen=True)
class AfterAction:
    world: Scenario
    title: str
    scenario: str
    seed: int
    teams: tuple[str, ...]  # the names of the actors people played
    team_ids: tuple[str, ...]
    outcomes: tuple[str, ...]  # the derived outcomes' names (what the game is about)
    turns: int
    finished: bool
    entries: tuple[Entry, ...]
    facilitator: tuple[FacilitatorAction, ...]
    series: dict[str, list[float]]  # indicator label -> value at the start and after each turn
    scores: tuple[tuple[str, float], ...]  # (actor name, final score), best first
    typical: Typicality | None = None
    labels: dict[str, str] | None = None  # field -> its label, for the standings


def _entry(game: Game, resolution: Resolution) -> Entry:
    scenario = game.scenario
    event = scenario.event(resolution.event)
    choices = []
    for d in game.decisions:
        if d.kind != "choice" or (d.turn, d.event) != (resolution.turn, resolution.event):
            continue
        if d.accepts is not None:
            picked = "accepts " + (", ".join(event.outcome_label(o) for o in d.accepts) or "none")
            stated: tuple[str, ...] = ()
        else:
            option = event.option(d.option)
            picked = event.outcome_label(d.option)
            stated = (
                tuple(f"{label(scenario, t)} ← {fn.source}" for t, fn in option.effects)
                if option
                else ()
            )
        name = scenario.actor(d.actor).name if d.actor else "?"
        choices.append(Choice(name, d.role or "", picked, stated))
    injection = game.injection(resolution)
    changes = tuple(
        (
            label(scenario, name),
            value_text(scenario, name, before),
            value_text(scenario, name, after),
        )
        for name, (before, after) in resolution.changes.items()
        if not name.startswith("score_")
    )
    return Entry(
        turn=resolution.turn,
        date=scenario.date(resolution.turn),
        event=event.id,
        title=event.spec.title,
        outcome=event.outcome_label(resolution.option),
        rule=resolution.rule,
        deciders=tuple(f"{role}: {scenario.actor(actor).name}" for role, actor in event.roles()),
        resolution=resolution,
        choices=tuple(choices),
        closed=tuple(game.closed(resolution)),
        changes=changes,
        injected=injection.reason if injection is not None else None,
    )


def _action(game: Game, decision: Decision, undone: bool) -> FacilitatorAction:
    scenario = game.scenario
    event = scenario.event(decision.event)
    detail = (
        f"result set to: {event.outcome_label(decision.option)}"
        if decision.kind == "override"
        else "made to happen this turn"
    )
    if undone:
        detail += " (undone by a later roll-back)"
    return FacilitatorAction(
        decision.turn,
        scenario.date(decision.turn),
        decision.kind,
        event.spec.title,
        detail,
        decision.reason,
    )


def facilitator_actions(game: Game) -> list[FacilitatorAction]:
    """Every facilitator action: those that stand, those a roll-back undid, the roll-backs."""
    scenario = game.scenario
    actions = [_action(game, d, False) for d in game.decisions if d.kind != "choice"]
    for rollback in game.journal:
        actions += [_action(game, d, True) for d in rollback.undone]
        actions.append(
            FacilitatorAction(
                rollback.from_turn,
                scenario.date(min(rollback.from_turn, scenario.turns)),
                "rollback",
                "",
                f"back to the start of turn {rollback.to_turn} ({scenario.date(rollback.to_turn)})",
                rollback.reason,
            )
        )
    return sorted(actions, key=lambda a: a.turn)


def after_action(game: Game, games: AIGames | None = None) -> AfterAction:
    """The report's content for a game (and how typical it was among `games`, if given)."""
    scenario = game.scenario
    scores = sorted(
        ((a.name, float(game.value(f"score_{a.id}"))) for a in scenario.actors),
        key=lambda s: -s[1],
    )
    names = indicator_names(scenario, scores=False)
    return AfterAction(
        world=scenario,
        title=scenario.spec.title,
        scenario=scenario.id,
        seed=game.setup.seed,
        teams=tuple(scenario.actor(a).name for a in game.setup.humans),
        team_ids=tuple(game.setup.humans),
        outcomes=tuple(n for n, _ in scenario.outcomes),
        turns=scenario.turns,
        finished=game.done,
        entries=tuple(_entry(game, r) for r in game.resolutions),
        facilitator=tuple(facilitator_actions(game)),
        series={label(scenario, name): game.history(name) for name in names},
        scores=tuple(scores),
        typical=typicality(game, games) if games is not None else None,
        labels={name: label(scenario, name) for name in indicator_names(scenario)},
    )
