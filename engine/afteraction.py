"""An after-action report's content, as data: what happened in a game, who decided, why.

Built from a `Game` (a live one, or one loaded from its save): every event in order with its
rule, who decided, the odds and draws, the votes and vetoes, the teams' own choices and what
changed; every facilitator action with its reason; each indicator over the turns; the final
scores; and, given AI games of the same scenario, how typical the game was. Interfaces
render it (tui/report.py: Markdown and HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wargame.engine.decisions import Decision, Resolution
from wargame.engine.game import Game
from wargame.engine.typicality import AIGames, Standing, standings

__all__ = ["AfterAction", "Entry", "FacilitatorAction", "after_action"]


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
    choices: tuple[Decision, ...]  # the teams' own decisions on it
    changes: dict[str, tuple[str, str]]  # what changed, as (before, after) text


@dataclass(frozen=True)
class FacilitatorAction:
    turn: int
    kind: str  # override | inject | rollback
    event: str | None
    detail: str  # the option set, or the turn returned to
    reason: str


@dataclass
class AfterAction:
    title: str
    scenario: str
    seed: int
    humans: tuple[str, ...]
    turns: int
    entries: list[Entry]
    facilitator: list[FacilitatorAction]
    series: dict[str, list[float]]  # indicator -> value at the start and after each turn
    scores: list[tuple[str, str, float]]  # (actor id, name, final score), best first
    standings: list[Standing] = field(default_factory=list)
    ai_runs: int = 0


def _text(game: Game, name: str, value: float | int) -> str:
    facts = game.scenario.facts
    if name in facts:
        return facts[name].labels[int(value)]
    return f"{value:.2f}" if name.startswith("seats_") else f"{value:.1f}"


def _entry(game: Game, resolution: Resolution) -> Entry:
    scenario = game.scenario
    event = scenario.event(resolution.event)
    option = next((o for o in event.options if o.id == resolution.option), None)
    choices = tuple(
        d
        for d in game.decisions
        if d.kind == "choice" and d.turn == resolution.turn and d.event == resolution.event
    )
    changes = {
        name: (_text(game, name, before), _text(game, name, after))
        for name, (before, after) in resolution.changes.items()
        if not name.startswith("score_")
    }
    return Entry(
        turn=resolution.turn,
        date=scenario.date(resolution.turn),
        event=event.id,
        title=event.spec.title,
        outcome=option.label if option else "nothing happened",
        rule=resolution.rule,
        deciders=tuple(f"{role}: {actor}" for role, actor in event.roles()),
        resolution=resolution,
        choices=choices,
        changes=changes,
    )


def _facilitator(game: Game) -> list[FacilitatorAction]:
    actions = []
    for decision in game.decisions:
        if decision.kind == "override":
            detail = f"set to {decision.option}"
        elif decision.kind == "inject":
            detail = "made to happen"
        else:
            continue
        actions.append(
            FacilitatorAction(decision.turn, decision.kind, decision.event, detail, decision.reason)
        )
    for rollback in game.journal:
        actions.append(
            FacilitatorAction(
                rollback.from_turn,
                "rollback",
                None,
                f"back to the start of turn {rollback.to_turn}",
                rollback.reason,
            )
        )
    return sorted(actions, key=lambda a: a.turn)


def after_action(game: Game, games: AIGames | None = None) -> AfterAction:
    """The report's content for a game (and its standing among `games`, if given)."""
    scenario = game.scenario
    names = game.model.indicators()
    final = {name: float(game.value(name)) for name in names}
    scores = sorted(
        ((a.id, a.name, final[f"score_{a.id}"]) for a in scenario.actors), key=lambda s: -s[2]
    )
    branches = {
        r.event: r.option
        for r in game.resolutions
        if r.event in scenario.spec.branches and r.option is not None
    }
    return AfterAction(
        title=scenario.spec.title,
        scenario=scenario.id,
        seed=game.setup.seed,
        humans=game.setup.humans,
        turns=scenario.turns,
        entries=[_entry(game, r) for r in game.resolutions],
        facilitator=_facilitator(game),
        series={name: game.history(name) for name in names},
        scores=scores,
        standings=standings(final, games, branches) if games is not None else [],
        ai_runs=games.runs if games is not None else 0,
    )
