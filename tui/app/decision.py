"""A human actor's decision: its open options with what each would change, picked by number,
and the options that exist but are closed, greyed, with what closes them."""

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
from wargame.tui.app.dialogs import GAME_KEYS, QUIT_KEY
from wargame.tui.app.messages import BriefRequested
from wargame.tui.app.palette import PALETTE_CLASSES, palette_of
from wargame.tui.app.render import ROLE_HELP, option_list

__all__ = ["DecisionScreen"]


class DecisionScreen(ModalScreen[Decision | None]):
    """Number keys pick (or, for a veto player, toggle) options; Enter confirms. Dismisses
    with None when the facilitator changed the game under it."""

    COMPONENT_CLASSES = PALETTE_CLASSES
    BINDINGS = [
        Binding("1", "pick(1)", "Pick 1-9"),
        *(Binding(str(i), f"pick({i})", show=False) for i in range(2, 10)),
        Binding("enter", "confirm", "Confirm"),
        Binding("b", "brief", "Brief"),
        *GAME_KEYS,
        QUIT_KEY,
    ]

    chosen: reactive[frozenset[int]] = reactive(frozenset())

    def __init__(self, game: Game, request: DecisionRequest) -> None:
        super().__init__()
        self.game = game
        self.request = request
        self.event = game.scenario.event(request.event)
        self.previews = game.preview(request)
        self.ids = [p.id for p in self.previews if p.open]
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
                    yield Static(Text(f'"{quote}"'), classes="quote")
                if self.request.proposal:
                    label = self.event.outcome_label(self.request.proposal)
                    yield Static(Text(f"On the table: {label}"), classes="emphasis")
                yield Static(
                    ROLE_HELP.get(self.request.role, self.request.role), classes="emphasis"
                )
                yield Static(id="options")
            yield Static(id="hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.multi:
            self.chosen = frozenset(range(len(self.ids)))  # a veto player starts accepting all
        self.redraw()

    def watch_chosen(self) -> None:
        if self.is_mounted:
            self.redraw()

    def redraw(self) -> None:
        palette = palette_of(self)
        self.query_one("#options", Static).update(
            option_list(self.previews, self.chosen, self.multi, palette)
        )
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
            accepts = tuple(self.ids[i] for i in sorted(self.chosen))
            decision = Decision(
                request.turn, request.event, actor=request.actor, role=request.role, accepts=accepts
            )
        elif self.chosen:
            option = self.ids[min(self.chosen)]
            decision = Decision(
                request.turn, request.event, actor=request.actor, role=request.role, option=option
            )
        else:
            self.app.bell()
            return
        self.dismiss(decision)

    def action_brief(self) -> None:
        self.post_message(BriefRequested(self.request.actor))
