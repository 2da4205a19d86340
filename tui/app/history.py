"""The whole history of a game, turn by turn and event by event, with every reason kept:
each event's card with every actor's values, who injected or overrode what and why, and the
facilitator's roll-backs with their reasons.

One screen for a live game, a debrief and a replay: the list on the left follows the arrow
keys (`[` and `]` jump a turn), the card on the right follows the list; Enter picks an event
(a replay jumps to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision, Resolution
from wargame.engine.preview import ClosedOption
from wargame.tui.app.palette import PALETTE_CLASSES, palette_of
from wargame.tui.story import Palette, card

__all__ = ["HistoryScreen", "HistorySource"]


class RollbackRecord(Protocol):
    from_turn: int
    to_turn: int
    reason: str
    undone: tuple[Decision, ...]


class HistorySource(Protocol):
    """What a history reads: a live `Game` and a `Playback` both offer it."""

    scenario: Scenario

    @property
    def resolutions(self) -> list[Resolution]: ...

    @property
    def journal(self) -> Sequence[RollbackRecord]: ...

    def closed(self, resolution: Resolution) -> list[ClosedOption]: ...

    def injection(self, resolution: Resolution) -> Decision | None: ...


def event_card(
    source: HistorySource, resolution: Resolution, palette: Palette, all_values: bool = True
) -> Text:
    """An event's card (with every actor's values, or the deciders'), and the facilitator's
    part in it."""
    text = Text()
    injected = source.injection(resolution)
    if injected is not None:
        text.append(f"Injected by the facilitator: {injected.reason}\n", style=palette.alert)
    closed = source.closed(resolution)
    text.append_text(card(source.scenario, resolution, closed, all_values, palette))
    return text


def rollback_card(source: HistorySource, rollback: RollbackRecord, palette: Palette) -> Text:
    scenario = source.scenario
    text = Text()
    back = f"the start of turn {rollback.to_turn} ({scenario.date(rollback.to_turn)})"
    text.append(f"Roll-back during turn {rollback.from_turn} to {back}\n", style=palette.title)
    text.append(f"reason: {rollback.reason}\n")
    for decision in rollback.undone:
        event = scenario.event(decision.event)
        what = (
            f"override of {event.spec.title} to {event.outcome_label(decision.option)}"
            if decision.kind == "override"
            else f"injection of {event.spec.title}"
        )
        text.append(f"undid the {what} (reason: {decision.reason})\n", style=palette.muted)
    return text


class HistoryScreen(ModalScreen[Resolution | None]):
    """Dismisses with the event picked with Enter, or None."""

    COMPONENT_CLASSES = PALETTE_CLASSES
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("left_square_bracket", "turn(-1)", "[ turn"),
        Binding("right_square_bracket", "turn(1)", "] turn"),
        Binding("f", "app.facilitator", "Facilitator"),
    ]

    def __init__(
        self, source: HistorySource, at: Resolution | None = None, title: str = "History"
    ) -> None:
        super().__init__()
        self.source = source
        self.at = at
        self.title_text = title
        self.entries: list[Resolution | RollbackRecord] = []
        self.turn_of: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="history"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with Horizontal():
                yield OptionList(id="events")
                with VerticalScroll(id="history-card"):
                    yield Static(id="card")
            yield Static("↑↓ event · [ ] turn · Enter picks · Escape closes", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        scenario = self.source.scenario
        rollbacks = list(self.source.journal)
        items: list[Option] = []
        turn = 0
        highlight = None
        for resolution in self.source.resolutions:
            if resolution.turn != turn:
                turn = resolution.turn
                items.append(Option(f"Turn {turn} · {scenario.date(turn)}", disabled=True))
                self.turn_of.append(turn)
            event = scenario.event(resolution.event)
            mark = (
                "⚑ "
                if resolution.source == "override"
                else "✚ "
                if self.source.injection(resolution)
                else "  "
            )
            label = Text(f"{mark}{event.spec.title}: {event.outcome_label(resolution.option)}")
            if resolution is self.at:
                highlight = len(items)
            items.append(Option(label, id=f"e{len(self.entries)}"))
            self.entries.append(resolution)
            self.turn_of.append(turn)
        if rollbacks:
            items.append(Option("Facilitator roll-backs", disabled=True))
            self.turn_of.append(turn + 1)
            for rollback in rollbacks:
                text = Text(f"↺ turn {rollback.from_turn} → {rollback.to_turn}: {rollback.reason}")
                items.append(Option(text, id=f"e{len(self.entries)}"))
                self.entries.append(rollback)
                self.turn_of.append(turn + 1)
        events = self.query_one("#events", OptionList)
        events.add_options(items)
        if not self.entries:
            self.query_one("#card", Static).update("Nothing has happened yet.")
            return
        events.highlighted = highlight if highlight is not None else self._last_event(items)
        events.focus()

    @staticmethod
    def _last_event(items: list[Option]) -> int:
        return max(i for i, item in enumerate(items) if not item.disabled)

    def _entry(self, option: Option) -> Resolution | RollbackRecord:
        return self.entries[int((option.id or "e0")[1:])]

    @on(OptionList.OptionHighlighted, "#events")
    def show(self, message: OptionList.OptionHighlighted) -> None:
        entry = self._entry(message.option)
        palette = palette_of(self)
        if isinstance(entry, Resolution):
            body = event_card(self.source, entry, palette)
        else:
            body = rollback_card(self.source, entry, palette)
        self.query_one("#card", Static).update(body)
        self.query_one("#history-card", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#events")
    def pick(self, message: OptionList.OptionSelected) -> None:
        entry = self._entry(message.option)
        self.dismiss(entry if isinstance(entry, Resolution) else None)

    def action_turn(self, step: int) -> None:
        """Highlight the first entry of the next (or previous) turn."""
        events = self.query_one("#events", OptionList)
        if events.highlighted is None:
            return
        selectable = [
            i for i in range(events.option_count) if not events.get_option_at_index(i).disabled
        ]
        turns = sorted({self.turn_of[i] for i in selectable})
        target = turns.index(self.turn_of[events.highlighted]) + step
        if not 0 <= target < len(turns):
            self.app.bell()
            return
        events.highlighted = min(i for i in selectable if self.turn_of[i] == turns[target])

    def action_close(self) -> None:
        self.dismiss(None)
