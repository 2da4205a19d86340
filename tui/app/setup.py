"""Setup: the scenario, who plays each actor (a team or the AI, and how noisy), the seed, and
an optional PIN that locks the facilitator's controls on a shared laptop."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from wargame.engine.compiled import Scenario
from wargame.engine.game import GameSetup
from wargame.engine.records import Seed, Temperature, value_problem
from wargame.engine.scenario import bundled_scenarios, load_scenario
from wargame.tui.terminal import terminal_safe

__all__ = ["SetupChoice", "SetupScreen"]

Number = TypeVar("Number", int, float)


@dataclass(frozen=True)
class SetupChoice:
    """The game to play, and the facilitator's PIN (None: the controls are open)."""

    setup: GameSetup
    pin: str | None


class SetupScreen(Screen[SetupChoice]):
    """Dismisses with the game to play."""

    BINDINGS = [Binding("ctrl+s", "start", "Start")]

    def __init__(
        self, scenario: str = "madrid-2022", humans: tuple[str, ...] = (), seed: int | None = None
    ) -> None:
        super().__init__()
        self.scenario_ref = scenario
        self.humans = set(humans)
        self.seed = seed if seed is not None else secrets.randbelow(10**6)
        self.scenario: Scenario = load_scenario(scenario)

    def compose(self) -> ComposeResult:
        names = list(bundled_scenarios())
        if self.scenario_ref not in names:
            names.append(self.scenario_ref)
        with VerticalScroll(id="setup"):
            yield Static("[b]New game[/b]  Tab moves between fields, Space toggles, Ctrl+S starts.")
            yield Select(
                [(Text(n), n) for n in names],
                value=self.scenario_ref,
                allow_blank=False,
                id="scenario",
            )
            yield Static(id="about")
            yield Static(
                "Who plays each actor (on = a team of people, off = the AI) and the "
                "AI's noise in score points (0 = always its best option; 0.45 = a clearly "
                "worse option 1 time in 10):"
            )
            yield VerticalScroll(id="actor-setup")
            with Horizontal(classes="row"):
                yield Label("Seed")
                yield Input(str(self.seed), id="seed", type="integer")
            with Horizontal(classes="row"):
                yield Label("Facilitator PIN")
                yield Input(password=True, placeholder="optional", id="pin")
            yield Button("Start the game", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.show_scenario()

    def show_scenario(self) -> None:
        spec = self.scenario.spec
        last = self.scenario.date(spec.turns)
        title, about = (terminal_safe(t, markup=True) for t in (spec.title, spec.description))
        self.query_one("#about", Static).update(
            f"[b]{title}[/b] ({self.scenario.date(1)} to {last}, {spec.turns} half-year "
            f"turns)\n{about}"
        )
        box = self.query_one("#actor-setup", VerticalScroll)
        box.remove_children()
        for actor in self.scenario.actors:
            box.mount(
                Horizontal(
                    Label(actor.name, classes="actor-name", markup=False),
                    Switch(value=actor.id in self.humans, id=f"human-{actor.id}"),
                    Input(
                        f"{actor.temperature:g}",
                        id=f"temp-{actor.id}",
                        type="number",
                        classes="temperature",
                    ),
                    classes="row",
                )
            )

    @on(Select.Changed, "#scenario")
    def scenario_changed(self, event: Select.Changed) -> None:
        if event.value != self.scenario_ref:
            self.scenario_ref = str(event.value)
            self.scenario = load_scenario(self.scenario_ref)
            self.show_scenario()

    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        humans = tuple(
            a.id for a in self.scenario.actors if self.query_one(f"#human-{a.id}", Switch).value
        )
        temperatures = {}
        for actor in self.scenario.actors:
            text = self.query_one(f"#temp-{actor.id}", Input).value.strip()
            value = _number(text, float)
            problem = "expected a number" if value is None else value_problem(Temperature, value)
            if value is None or problem is not None:
                self._refuse(f"{actor.name}'s AI noise: {problem} (got {text!r})")
                return
            if value != actor.temperature:
                temperatures[actor.id] = value
        seed_text = self.query_one("#seed", Input).value.strip()
        seed = _number(seed_text, int)
        problem = "expected a whole number" if seed is None else value_problem(Seed, seed)
        if seed is None or problem is not None:
            self._refuse(f"the seed: {problem} (got {seed_text!r})")
            return
        pin = self.query_one("#pin", Input).value.strip() or None
        self.dismiss(SetupChoice(GameSetup(self.scenario_ref, seed, humans, temperatures), pin))

    def _refuse(self, message: str) -> None:
        """Say on the screen why the game cannot start (the values stay to be corrected)."""
        self.notify(message, severity="error", markup=False)


def _number(text: str, kind: type[Number]) -> Number | None:
    """`text` as a number of `kind`, or None when it is not one."""
    try:
        return kind(text)
    except ValueError:
        return None
