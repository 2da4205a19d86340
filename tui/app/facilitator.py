"""The facilitator's controls behind one key: pause, override, roll back, inject.

Each control that needs several answers (which event, which result, why) asks them in turn
in one worker (`push_screen_wait`), and every change goes to the game with its reason: an
empty reason is refused on the spot, and the engine refuses what cannot be done now.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.errors import WargameError
from wargame.engine.game import Game
from wargame.tui.app.messages import GameChanged

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
    """A line of text: the reason a facilitator's action goes into the log with. An empty
    reason is refused with a message; Escape cancels the action."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            yield Static("The reason goes into the game's log and its report.", classes="hint")
            yield Input(placeholder="reason, then Enter", id="reason")
            yield Static("", id="refused", classes="warning")
        yield Footer()

    @on(Input.Submitted, "#reason")
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.app.bell()
            self.query_one("#refused", Static).update(
                "A reason is needed: nothing a facilitator does goes unexplained (Escape cancels)."
            )

    def action_cancel(self) -> None:
        self.dismiss(None)


class FacilitatorScreen(ModalScreen[bool]):
    """Dismisses with True when the game changed, so the screens below redraw."""

    BINDINGS = [
        Binding("p", "pause", "Pause/resume"),
        Binding("o", "override", "Override"),
        Binding("r", "rollback", "Roll back"),
        Binding("i", "inject", "Inject"),
        Binding("escape,q", "close", "Close"),
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
        self.redraw()

    def redraw(self) -> None:
        game = self.game
        state = "[b]PAUSED[/b]" if game.paused else "running"
        where = "over" if game.done else f"at turn {game.turn} ({game.scenario.date(game.turn)})"
        plan = game.rollback_plan()
        self.query_one("#menu", Static).update(
            f"The game is {state}, {where}.\n\n"
            "[b]p[/b] pause or resume play\n"
            "[b]o[/b] override the result of an event that has just happened\n"
            f"[b]r[/b] roll back to the start of turn {plan.turn} ({plan.date})\n"
            "[b]i[/b] inject an event from the scenario's deck now\n"
            "[b]Escape[/b] back to the game"
        )

    async def control(
        self, action: str, event: str | None = None, option: str | None = None, reason: str = ""
    ) -> None:
        """Make one change to the game (the engine's `Game.facilitate`); a hosted game's
        facilitator sends it to the host instead. Raises WargameError when refused."""
        self.game.facilitate(action, event, option, reason)

    async def _apply(
        self,
        done: str,
        action: str,
        event: str | None = None,
        option: str | None = None,
        reason: str = "",
    ) -> bool:
        """One control; a refusal becomes a notice, not a crash."""
        try:
            await self.control(action, event, option, reason)
        except WargameError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        self.changed = True
        self.notify(done, markup=False)
        self.post_message(GameChanged())
        self.redraw()
        return True

    @work(exclusive=True, group="facilitator")
    async def action_pause(self) -> None:
        paused = self.game.paused
        await self._apply("resumed" if paused else "paused", "resume" if paused else "pause")

    @work(exclusive=True, group="facilitator")
    async def action_rollback(self) -> None:
        game = self.game
        plan = game.rollback_plan()
        scenario = game.scenario
        after = (
            f", just after {scenario.event(plan.kept.event).spec.title} (turn {plan.kept.turn})"
            if plan.kept is not None
            else ", the game's start"
        )
        undone = ", ".join(scenario.event(r.event).spec.title for r in plan.undone[:4])
        more = f" and {len(plan.undone) - 4} more" if len(plan.undone) > 4 else ""
        count = f"{len(plan.undone)} event{'s' if len(plan.undone) > 1 else ''}"
        what = f" It undoes {count}: {undone}{more}." if plan.undone else ""
        reason = await self.app.push_screen_wait(
            ReasonScreen(
                f"Roll back to the start of turn {plan.turn} ({plan.date}){after}.{what} Why?"
            )
        )
        if reason:
            done = f"rolled back to the start of turn {plan.turn} ({plan.date})"
            await self._apply(done, "rollback", reason=reason)

    @work(exclusive=True, group="facilitator")
    async def action_inject(self) -> None:
        game = self.game
        deck = game.injectable()
        if not deck:
            self.notify("no deck event can happen now", severity="warning")
            return
        items = [(e, game.scenario.event(e).spec.title) for e in deck]
        event_id = await self.app.push_screen_wait(ChooseScreen("Inject which event?", items))
        if not event_id:
            return
        title = game.scenario.event(event_id).spec.title
        reason = await self.app.push_screen_wait(ReasonScreen(f"Inject {title} now: why?"))
        if reason:
            await self._apply(f"injected: {title}", "inject", event_id, reason=reason)

    @work(exclusive=True, group="facilitator")
    async def action_override(self) -> None:
        game = self.game
        happened = game.overridable()
        if not happened:
            self.notify("nothing has happened yet this turn", severity="warning")
            return
        scenario = game.scenario
        items = []
        for r in happened:
            event = scenario.event(r.event)
            items.append((r.event, f"{event.spec.title}: {event.outcome_label(r.option)}"))
        event_id = await self.app.push_screen_wait(ChooseScreen("Override which result?", items))
        if not event_id:
            return
        event = scenario.event(event_id)
        now = next(r.option for r in happened if r.event == event_id)
        options = [
            (o.id, f"{o.label}{'  (the result now)' if o.id == now else ''}") for o in event.options
        ]
        option_id = await self.app.push_screen_wait(
            ChooseScreen(f"{event.spec.title}: which result?", options)
        )
        if not option_id:
            return
        label = event.outcome_label(option_id)
        reason = await self.app.push_screen_wait(
            ReasonScreen(f"Override {event.spec.title} to: {label}. Why?")
        )
        if reason:
            done = f"{event.spec.title}: overridden to {label}"
            await self._apply(done, "override", event_id, option_id, reason)

    def action_close(self) -> None:
        self.dismiss(self.changed)
