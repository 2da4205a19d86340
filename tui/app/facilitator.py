"""The facilitator's controls behind one key: pause, override, roll back, inject."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.errors import WargameError
from wargame.engine.game import Game

__all__ = ["ChooseScreen", "FacilitatorScreen", "ReasonScreen"]


class ChooseScreen(ModalScreen[str | None]):
    """Pick one item from a list (arrows and Enter, or Escape to cancel)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, items: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*(Option(Text(label), id=key) for key, label in self.items))
        yield Footer()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(ModalScreen[str | None]):
    """A line of text: the reason a facilitator's action goes into the log with."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str = "Why override?") -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"{self.question} The reason goes into the game's log and report.")
            yield Input(placeholder="reason, then Enter")
            yield Static("", classes="hint")
        yield Footer()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.app.bell()
            self.query_one(".hint", Static).update("A reason is needed (Escape cancels).")

    def action_cancel(self) -> None:
        self.dismiss(None)


class FacilitatorScreen(ModalScreen[bool]):
    """Dismisses with True when the game changed, so the board redraws."""

    BINDINGS = [
        Binding("p", "pause", "Pause/resume"),
        Binding("o", "override", "Override"),
        Binding("r", "rollback", "Roll back"),
        Binding("i", "inject", "Inject"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Facilitator", classes="dialog-title")
            yield Static(id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        state = "[b red]PAUSED[/b red]" if self.game.paused else "running"
        self.query_one("#menu", Static).update(
            f"The game is {state} (turn {self.game.turn}).\n\n"
            "[b]p[/b] pause or resume play\n"
            "[b]o[/b] override the result of an event that has just happened\n"
            "[b]r[/b] roll back to the start of the turn\n"
            "[b]i[/b] inject an event from the scenario's deck now\n"
            "[b]Escape[/b] back to the board"
        )

    def _apply(self, change: Callable[[], None]) -> None:
        """Run one change to the game; an engine refusal becomes a notice, not a crash."""
        try:
            change()
        except WargameError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.changed = True
        self.refresh_menu()

    def action_pause(self) -> None:
        self.game.paused = not self.game.paused
        self.changed = True
        self.refresh_menu()

    def action_rollback(self) -> None:
        turn = self.game.rollback_target()
        where = f"turn {turn} ({self.game.scenario.date(turn)})"

        def reason_given(reason: str | None) -> None:
            if reason:
                self._apply(lambda: self.game.rollback(reason))
                self.notify(f"rolled back to the start of {where}")

        self.app.push_screen(ReasonScreen(f"Roll back to the start of {where}: why?"), reason_given)

    def action_inject(self) -> None:
        deck = self.game.injectable()
        if not deck:
            self.notify("no deck event can happen now", severity="warning")
            return
        items = [(e, self.game.scenario.event(e).spec.title) for e in deck]

        def chosen(event_id: str | None) -> None:
            if not event_id:
                return
            title = self.game.scenario.event(event_id).spec.title

            def reason_given(reason: str | None) -> None:
                if reason:
                    self._apply(lambda: self.game.inject(event_id, reason))
                    self.notify(f"injected: {title}")

            self.app.push_screen(ReasonScreen(f"Inject {title}: why?"), reason_given)

        self.app.push_screen(ChooseScreen("Inject which event?", items), chosen)

    def action_override(self) -> None:
        happened = self.game.overridable()
        if not happened:
            self.notify("nothing has happened yet this turn", severity="warning")
            return
        scenario = self.game.scenario
        items = [(r.event, f"{scenario.event(r.event).spec.title}: {r.option}") for r in happened]

        def event_chosen(event_id: str | None) -> None:
            if not event_id:
                return
            event = scenario.event(event_id)
            options = [(o.id, o.label) for o in event.options]

            def option_chosen(option_id: str | None) -> None:
                if not option_id:
                    return

                def reason_given(reason: str | None) -> None:
                    if reason:
                        self._apply(lambda: self.game.override(event_id, option_id, reason))
                        self.notify(f"{event.spec.title}: overridden to {option_id}", markup=False)

                self.app.push_screen(ReasonScreen(), reason_given)

            self.app.push_screen(
                ChooseScreen(f"{event.spec.title}: which result?", options), option_chosen
            )

        self.app.push_screen(ChooseScreen("Override which result?", items), event_chosen)

    def action_close(self) -> None:
        self.dismiss(self.changed)
