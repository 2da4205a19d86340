"""A played game told as text, turn by turn: what happened, who decided, and why."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text

from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Resolution
from wargame.engine.model import WargameModel

__all__ = ["explain_resolution", "explanation", "story_lines"]


def _number(name: str, value: float, sign: str = "") -> str:
    """Seat shares to the hundredth, everything else (0..100 scales) to the tenth."""
    return f"{value:{sign}.2f}" if name.startswith("seats_") else f"{value:{sign}.1f}"


def explanation(scenario: Scenario, resolution: Resolution, all_values: bool = False) -> Text:
    """Why one event went as it did: the rule and who decided, odds, draws, vetoes, votes,
    the deciders' (or every actor's) values, notes, and what changed as coloured deltas.

    One account for every interface: `replay` prints it plain, the game styles it.
    """
    event = scenario.event(resolution.event)
    spec = event.spec
    who = {
        "chance": "drawn by nature",
        "single": f"chosen by {getattr(spec, 'decider', '')}",
        "veto": f"agenda set by {getattr(spec, 'setter', '')}, vetoes held by "
        f"{', '.join(getattr(spec, 'vetoes', []))}",
        "vote": f"voted by {', '.join(getattr(spec, 'voters', []))}"
        + (f", agenda set by the {spec.agenda} majority" if getattr(spec, "agenda", None) else ""),
        "collective": f"decided together by {', '.join(getattr(spec, 'members', []))}, "
        "weighted by capability"
        + (f"; vetoes held by {', '.join(spec.vetoes)}" if getattr(spec, "vetoes", None) else ""),
        "bargain": f"{getattr(spec, 'demander', '')} demands, {getattr(spec, 'asked', '')} answers",
    }[resolution.rule]
    source = {"human": " (a human decided)", "override": " (facilitator override)"}.get(
        resolution.source, ""
    )
    text = Text()
    text.append(f"rule: {resolution.rule}, {who}{source}\n", style="dim")
    if resolution.probabilities:
        shown = ", ".join(f"{o} {p:.0%}" for o, p in resolution.probabilities.items())
        text.append(f"odds: {shown}\n")
    for site, draw in resolution.draws.items():
        text.append(f"draw {site}: {draw:.3f}\n", style="dim")
    for player, accepts in resolution.accepts.items():
        vetoed = [o for o, ok in accepts.items() if not ok]
        text.append(f"{player} vetoes {', '.join(vetoed) or 'nothing'}\n")
    for member, vote in resolution.votes.items():
        if "yes" in vote:
            text.append(
                f"{member}: {'yes' if vote['yes'] else 'no'} (weight {vote['weight']:.2f})\n"
            )
    valued = resolution.utilities if all_values else sorted({a for _, a in event.roles()})
    for actor in valued:
        utilities = resolution.utilities.get(actor, {})
        if utilities:
            shown = ", ".join(f"{o} {u:.1f}" for o, u in utilities.items())
            text.append(f"{actor} values: {shown}\n", style="dim")
    for note in resolution.notes:
        text.append(f"{note}\n", style="italic")
    for name, (before, after) in resolution.changes.items():
        if name.startswith("score_"):
            continue
        if name in scenario.facts:
            labels = scenario.facts[name].labels
            text.append(f"{name}: {labels[before]} → {labels[after]}\n", style="yellow")
            continue
        change = after - before
        style = "green" if change > 0 else "red" if change < 0 else "dim"
        text.append(f"{name}: ")
        text.append(
            f"{_number(name, before)} → {_number(name, after)} ({_number(name, change, '+')})\n",
            style=style,
        )
    return text


def explain_resolution(scenario: Scenario, resolution: Resolution) -> list[str]:
    """Plain lines saying how one event went and why."""
    event = scenario.event(resolution.event)
    option = next((o for o in event.options if o.id == resolution.option), None)
    title = f"{event.spec.title}: {option.label if option else 'nothing happened'}"
    return [title, *("  " + line for line in explanation(scenario, resolution).plain.splitlines())]


def story_lines(model: WargameModel) -> Iterator[str]:
    """The whole game so far, turn by turn, ending each turn with the indicators."""
    scenario = model.world
    history = model.datacollector.model_vars if model.datacollector is not None else {}
    run = int(model.state.runs[0])
    yield f"{scenario.spec.title} ({scenario.id}), seed {model.seed}, run {run}"
    for turn in range(1, model.state.turn + 1):
        yield ""
        yield f"Turn {turn} - {scenario.date(turn)}"
        for resolution in (r for r in model.resolutions if r.turn == turn):
            yield from ("  " + line for line in explain_resolution(scenario, resolution))
        if history:
            shown = ", ".join(
                f"{name} {history[name][turn]:.1f}"
                for name in [*scenario.dimensions, *(n for n, _ in scenario.outcomes)]
            )
            yield f"  end of turn: {shown}"
