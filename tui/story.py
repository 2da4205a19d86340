"""A played game told as text: what happened at each event, who decided, and why.

One account for every interface: the event card and the history in the game, and the story
`wargame replay` prints, come from `explanation`; the game gives it a palette of styles from
its stylesheet, the text commands print it plain. Every name is the scenario's label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from wargame.engine.compiled import CompiledEvent, Scenario
from wargame.engine.decisions import Resolution
from wargame.engine.indicators import indicator_names, label, value_text
from wargame.engine.playback import Playback
from wargame.engine.preview import ClosedOption

__all__ = ["PLAIN", "Palette", "card", "explain_resolution", "explanation", "story_lines"]

StyleType = Style | str


@dataclass(frozen=True)
class Palette:
    """The styles an account is drawn with: the game reads them from its stylesheet."""

    muted: StyleType = ""
    up: StyleType = ""
    down: StyleType = ""
    fact: StyleType = ""
    note: StyleType = ""
    title: StyleType = ""
    outcome: StyleType = ""
    chosen: StyleType = ""
    closed: StyleType = ""
    quote: StyleType = ""
    strip: StyleType = ""  # the AI games' distribution
    marker: StyleType = ""  # this game's place in it
    alert: StyleType = ""  # PAUSED, NOT SAVED, REPLAY
    picked: StyleType = ""  # the option a team has picked, before it confirms


PLAIN = Palette()

_SOURCE = {"human": " (a team decided)", "override": " (facilitator override)"}


def _names(scenario: Scenario) -> dict[str, str]:
    """Actor and bloc ids to the names a player knows them by."""
    names = {m.id: m.name for a in scenario.actors for m in a.members}
    return names | {a.id: a.name for a in scenario.actors}


def _who(scenario: Scenario, event: CompiledEvent) -> str:
    spec = event.spec
    names = _names(scenario)

    def name(actor: str | None) -> str:
        return names.get(actor or "", actor or "")

    def listed(actors: Sequence[str] | None) -> str:
        return ", ".join(name(a) for a in actors or ())

    match event.rule:
        case "chance":
            return "drawn by nature"
        case "single":
            return f"chosen by {name(spec.decider)}"
        case "veto":
            return f"agenda set by {name(spec.setter)}, vetoes held by {listed(spec.vetoes)}"
        case "vote":
            agenda = f", agenda set by the {spec.agenda} majority" if spec.agenda else ""
            return f"voted by {listed(spec.voters)}{agenda}"
        case "collective":
            vetoes = f"; vetoes held by {listed(spec.vetoes)}" if spec.vetoes else ""
            return f"decided together by {listed(spec.members)}, weighted by capability{vetoes}"
        case "bargain":
            return f"{name(spec.demander)} demands, {name(spec.asked)} answers"
    return event.rule


def _note(scenario: Scenario, event: CompiledEvent, note: str) -> str:
    """An engine note in a player's words: quoted option ids as labels, a leading actor or
    bloc id as its name (a facilitator's reason is left as written)."""
    if note.startswith("facilitator override:"):
        return note
    labels = {f"'{o.id}'": f'"{o.label}"' for o in event.options}
    note = re.sub(r"'[a-z0-9_]+'", lambda m: labels.get(m.group(0), m.group(0)), note)
    first, sep, rest = note.partition(" ")
    return _names(scenario).get(first, first) + sep + rest


def explanation(
    scenario: Scenario,
    resolution: Resolution,
    all_values: bool = False,
    closed: Sequence[ClosedOption] = (),
    palette: Palette = PLAIN,
) -> Text:
    """Why one event went as it did: the rule and who decided; each option with its odds and
    its value to the deciders (or to every actor) and the one taken marked; the options that
    were closed and what closed them; draws, vetoes, votes, notes; and what changed."""
    event = scenario.event(resolution.event)
    names = _names(scenario)
    text = Text()
    source = _SOURCE.get(resolution.source, "")
    text.append(f"rule: {resolution.rule}, {_who(scenario, event)}{source}\n", style=palette.muted)
    valued = (
        list(resolution.utilities)
        if all_values
        else list(dict.fromkeys(a for _, a in event.roles()))
    )
    shut = {c.id for c in closed}
    if resolution.probabilities or any(resolution.utilities.get(a) for a in valued):
        text.append("options (odds; score of each if taken):\n", style=palette.muted)
    for option in event.options:
        if option.id in shut:
            continue
        taken = option.id == resolution.option
        text.append("  ▶ " if taken else "    ", style=palette.chosen)
        text.append(option.label, style=palette.chosen if taken else "")
        parts = []
        if option.id in resolution.probabilities:
            parts.append(f"{resolution.probabilities[option.id]:.0%}")
        values = [
            f"{names.get(a, a)} {resolution.utilities[a][option.id]:.1f}"
            for a in valued
            if option.id in resolution.utilities.get(a, {})
        ]
        if values:
            parts.append(", ".join(values))
        text.append(f": {'; '.join(parts)}\n" if parts else "\n", style=palette.muted)
    for option in closed:
        text.append(f"  ✗ {option.label}: closed, {option.why}\n", style=palette.closed)
    for site, draw in resolution.draws.items():
        text.append(f"draw {site}: {draw:.3f}\n", style=palette.muted)
    for player, accepts in resolution.accepts.items():
        vetoed = [event.outcome_label(o) for o, ok in accepts.items() if not ok]
        text.append(f"{names.get(player, player)} vetoes: {'; '.join(vetoed) or 'nothing'}\n")
    for member, vote in resolution.votes.items():
        if "yes" in vote:
            answer = "yes" if vote["yes"] else "no"
            text.append(f"{names.get(member, member)}: {answer} (weight {vote['weight']:.2f})\n")
    for note in resolution.notes:
        text.append(f"{_note(scenario, event, note)}\n", style=palette.note)
    for name, (before, after) in resolution.changes.items():
        if name.startswith("score_"):
            continue
        shown = label(scenario, name)
        if name in scenario.facts:
            new = value_text(scenario, name, after)
            text.append(f"{shown}: {value_text(scenario, name, before)} → {new}\n", palette.fact)
            continue
        change = after - before
        style = palette.up if change > 0 else palette.down if change < 0 else palette.muted
        text.append(f"{shown}: ")
        text.append(
            f"{value_text(scenario, name, before)} → {value_text(scenario, name, after)} "
            f"({value_text(scenario, name, change, sign=True)})\n",
            style=style,
        )
    return text


def card(
    scenario: Scenario,
    resolution: Resolution,
    closed: Sequence[ClosedOption] = (),
    all_values: bool = False,
    palette: Palette = PLAIN,
) -> Text:
    """The event card: date, title, outcome, narrative and quote, then why it went so."""
    event = scenario.event(resolution.event)
    text = Text()
    text.append(f"{scenario.date(resolution.turn)} · {event.spec.title}\n", style=palette.title)
    text.append(f"→ {event.outcome_label(resolution.option)}\n", style=palette.outcome)
    text.append(f"{event.spec.narrative.strip()}\n", style=palette.note)
    if event.spec.quote:
        text.append(f'"{event.spec.quote}"\n', style=palette.quote)
    text.append_text(explanation(scenario, resolution, all_values, closed, palette))
    return text


def explain_resolution(
    scenario: Scenario, resolution: Resolution, closed: Sequence[ClosedOption] = ()
) -> list[str]:
    """Plain lines saying how one event went and why."""
    event = scenario.event(resolution.event)
    title = f"{event.spec.title}: {event.outcome_label(resolution.option)}"
    lines = explanation(scenario, resolution, closed=closed).plain.splitlines()
    return [title, *("  " + line for line in lines)]


def story_lines(playback: Playback) -> Iterator[str]:
    """The whole game, turn by turn, ending each turn with the indicators as the board shows
    them then."""
    scenario = playback.scenario
    model = playback.model
    run = int(model.state.runs[0])
    yield f"{scenario.spec.title} ({scenario.id}), seed {model.seed}, run {run}"
    order = indicator_names(scenario, scores=False)
    turn = 0
    for index, frame in enumerate(playback.frames):
        if frame.kind == "start":
            continue
        if frame.turn != turn:
            turn = frame.turn
            yield ""
            yield f"Turn {turn} - {scenario.date(turn)}"
        if frame.resolution is not None:
            closed = playback.closed(frame.resolution)
            lines = explain_resolution(scenario, frame.resolution, closed)
            yield from ("  " + line for line in lines)
        elif frame.kind == "turn_end":
            rows = {row.name: row for row in playback.board(index).indicators}
            shown = ", ".join(f"{name} {rows[name].value:.1f}" for name in order)
            yield f"  end of turn: {shown}"
