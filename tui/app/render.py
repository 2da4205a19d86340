"""Rich renderables for what the engine reports: resolutions, effects, requests, indicators.

Pure functions of engine objects, shared by the screens: the UI keeps no game state.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from wargame.engine.decisions import DecisionRequest, Resolution
from wargame.engine.game import Game
from wargame.tui.story import explanation

__all__ = ["effect_preview", "resolution_text", "role_help", "sparkline"]

_BARS = "▁▂▃▄▅▆▇█"
_ROLE_HELP = {
    "decider": "You decide: pick one option.",
    "setter": "You set the agenda: pick the option to propose.",
    "veto": "You hold a veto: mark every option you can accept (the status quo always stands).",
    "voter": "You vote: for the proposal, or for the status quo.",
    "demander": "You make a demand: pick what you ask for (or hold out).",
    "asked": "You are asked: accept the demand, or refuse it.",
    "member": "You decide with others: back one option. The option with the most capability "
    "behind it wins; a tie keeps the status quo.",
}


def sparkline(values: list[float], low: float = 0.0, high: float = 100.0) -> str:
    """A row of block characters, one per value, scaled to [low, high]."""
    span = max(high - low, 1e-9)
    return "".join(_BARS[min(7, max(0, int((v - low) / span * 7.999)))] for v in values)


def resolution_text(game: Game, resolution: Resolution, all_values: bool = False) -> Text:
    """The event card: date, title, outcome, narrative and quote, then why it went so."""
    scenario = game.scenario
    event = scenario.event(resolution.event)
    option = next((o for o in event.options if o.id == resolution.option), None)
    text = Text()
    text.append(f"{scenario.date(resolution.turn)} · {event.spec.title}\n", style="bold")
    text.append(f"→ {option.label if option else 'nothing happened'}\n", style="bold cyan")
    text.append(f"{event.spec.narrative.strip()}\n", style="italic")
    if event.spec.quote:
        text.append(f'"{event.spec.quote}"\n', style="dim italic")
    text.append_text(explanation(scenario, resolution, all_values))
    return text


def effect_preview(game: Game, request: DecisionRequest) -> dict[str, Text]:
    """Per option: what it would change now (as the scenario's effects say), and its value
    to the deciding actor."""
    scenario = game.scenario
    event = scenario.event(request.event)
    env = game.model.state.env()
    out = {}
    for option in event.options:
        text = Text()
        for target, fn in option.effects:
            new = np.asarray(fn(env)).reshape(-1)[0]
            if target in scenario.facts:
                text.append(
                    f"{target} → {scenario.facts[target].labels[int(new)]}  ", style="yellow"
                )
            elif target.startswith("seats_"):
                text.append(f"{target} changes  ", style="dim")
            else:
                change = min(100.0, max(0.0, float(new))) - float(env[target][0])
                text.append(f"{target} ")
                text.append(f"{change:+.0f}  ", style="green" if change > 0 else "red")
        for target, fn in option.projected:
            new = np.asarray(fn(env)).reshape(-1)[0]
            change = min(100.0, max(0.0, float(new))) - float(env[target][0])
            text.append(f"(leads to {target} {change:+.0f})  ", style="dim")
        utility = request.utilities.get(option.id)
        if utility is not None:
            text.append(f"[your score after: {utility:.1f}]", style="dim")
        out[option.id] = text
    return out


def role_help(role: str) -> str:
    return _ROLE_HELP.get(role, role)
