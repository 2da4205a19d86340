"""A human actor's decision: its options with what each would change, picked by number."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.game import Game
from wargame.tui.app.render import effect_preview, role_help

__all__ = ["DecisionScreen"]


class DecisionScreen(ModalScreen[Decision]):
    """Number keys pick (or, for a veto player, toggle) options; Enter confirms."""

    BINDINGS = [
        Binding("1", "pick(1)", "Pick 1-9"),
        *(Binding(str(i), f"pick({i})", show=False) for i in range(2, 10)),
        Binding("enter", "confirm", "Confirm"),
        Binding("b", "brief", "Brief"),
    ]

    chosen: reactive[frozenset[int]] = reactive(frozenset())

    def __init__(self, game: Game, request: DecisionRequest) -> None:
        super().__init__()
        self.game = game
        self.request = request
        self.event = game.scenario.event(request.event)
        self.ids = list(request.options)
        self.multi = request.role == "veto"

    def compose(self) -> ComposeResult:
        actor = self.game.scenario.actor(self.request.actor)
        spec = self.event.spec
        with Vertical(classes="dialog wide"):
            yield Static(f"{actor.name}: {spec.title}", classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(Text(spec.narrative.strip()))
                quote = spec.quote or spec.reason
                if quote:
                    yield Static(Text(f'"{quote}"', style="italic dim"))
                if self.request.proposal:
                    label = self.event.options[self.event.option_index(self.request.proposal)].label
                    yield Static(Text(f"On the table: {label}", style="bold"))
                yield Static(Text(role_help(self.request.role), style="bold"))
                yield Static(id="options")
            yield Static(id="hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.multi:
            self.chosen = frozenset(range(len(self.ids)))  # a veto player starts accepting all
        self.render_options()

    def watch_chosen(self) -> None:
        if self.is_mounted:
            self.render_options()

    def render_options(self) -> None:
        previews = effect_preview(self.game, self.request)
        text = Text()
        for i, option_id in enumerate(self.ids):
            option = self.event.options[self.event.option_index(option_id)]
            picked = i in self.chosen
            mark = ("[x]" if picked else "[ ]") if self.multi else ("▶" if picked else " ")
            text.append(
                f"{mark} {i + 1}. {option.label}\n", style="bold reverse" if picked else "bold"
            )
            text.append("      ")
            text.append_text(previews[option_id])
            text.append("\n")
        self.query_one("#options", Static).update(text)
        if self.multi:
            hint = "Number keys toggle what you accept; Enter confirms."
        elif self.chosen:
            hint = "Enter confirms your choice; another number changes it."
        else:
            hint = "Press a number to choose."
        self.query_one("#hint", Static).update(hint)

    def action_pick(self, number: int) -> None:
        index = number - 1
        if index >= len(self.ids):
            self.app.bell()
            return
        if self.multi:
            self.chosen = self.chosen ^ {index}
        else:
            self.chosen = frozenset({index})

    def action_confirm(self) -> None:
        request = self.request
        if self.multi:
            choice = {"accepts": tuple(self.ids[i] for i in sorted(self.chosen))}
        elif self.chosen:
            choice = {"option": self.ids[min(self.chosen)]}
        else:
            self.app.bell()
            return
        self.dismiss(
            Decision(request.turn, request.event, actor=request.actor, role=request.role, **choice)
        )  # type: ignore[arg-type]

    def action_brief(self) -> None:
        self.app.action_brief(self.request.actor)  # type: ignore[attr-defined]
