"""A played game told as text, turn by turn: what happened, who decided, and why."""

from __future__ import annotations

from collections.abc import Iterator

from engine.decisions import Resolution
from engine.model import WargameModel

__all__ = ["explain_resolution", "story_lines"]


def _fmt(value: float | int) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def explain_resolution(model: WargameModel, resolution: Resolution) -> list[str]:
    """Lines saying how one event went and why (run 0 of the model)."""
    scenario = model.world
    event = scenario.event(resolution.event)
    spec = event.spec
    option = next((o for o in event.options if o.id == resolution.option), None)
    lines = [f"{spec.title}: {option.label if option else 'nothing happened'}"]
    who = {
        "chance": "drawn by nature",
        "single": f"chosen by {getattr(spec, 'decider', '')}",
        "veto": f"agenda set by {getattr(spec, 'setter', '')}, vetoes held by "
        f"{', '.join(getattr(spec, 'vetoes', []))}",
        "vote": f"voted by {', '.join(getattr(spec, 'voters', []))}",
        "bargain": f"{getattr(spec, 'demander', '')} demands, {getattr(spec, 'asked', '')} answers",
    }[resolution.rule]
    source = {"human": " (a human decided)", "override": " (facilitator override)"}.get(
        resolution.source, ""
    )
    lines.append(f"  rule: {resolution.rule}, {who}{source}")
    if resolution.probabilities:
        shown = ", ".join(f"{o} {p:.0%}" for o, p in resolution.probabilities.items())
        lines.append(f"  odds: {shown}")
    for site, draw in resolution.draws.items():
        lines.append(f"  draw {site}: {draw:.3f}")
    for player, accepts in resolution.accepts.items():
        vetoed = [o for o, ok in accepts.items() if not ok]
        lines.append(
            f"  {player} vetoes {', '.join(vetoed)}" if vetoed else f"  {player} vetoes nothing"
        )
    for member, vote in resolution.votes.items():
        lines.append(f"  {member}: {'yes' if vote['yes'] else 'no'} (weight {vote['weight']:.2f})")
    deciders = {actor for _, actor in event.roles()}
    for actor in sorted(deciders):
        utilities = resolution.utilities.get(actor, {})
        if utilities:
            shown = ", ".join(f"{o} {u:.1f}" for o, u in utilities.items())
            lines.append(f"  {actor} values: {shown}")
    lines.extend(f"  {note}" for note in resolution.notes)
    for name, (before, after) in resolution.changes.items():
        if name in scenario.facts:
            labels = scenario.facts[name].labels
            before, after = labels[before], labels[after]
            lines.append(f"  {name}: {before} -> {after}")
        elif not name.startswith("score_"):
            lines.append(f"  {name}: {_fmt(before)} -> {_fmt(after)}")
    return lines


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
            yield from ("  " + line for line in explain_resolution(model, resolution))
        if history:
            shown = ", ".join(
                f"{name} {history[name][turn]:.1f}"
                for name in [*scenario.dimensions, *(n for n, _ in scenario.outcomes)]
            )
            yield f"  end of turn: {shown}"
