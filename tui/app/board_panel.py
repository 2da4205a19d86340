"""The board's panels, shared by a live game and a replay: indicators and actors on the left,
the event card and the log of events on the right.

Each panel draws the engine's `BoardView` at whatever width it has: when the terminal
shrinks mid-game the tables drop their history column and cut labels with an ellipsis
instead of clipping, and the stylesheet's breakpoints narrow the left side.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import RichLog, Static

from wargame.engine.board import BoardView
from wargame.tui.app.palette import palette_of
from wargame.tui.app.render import actor_table, indicator_table

__all__ = ["ActorPanel", "BoardPanel", "IndicatorPanel"]


class TablePanel(Widget):
    """A table of one line a row under one line of header (no box, nothing wraps), so its
    height is known without rendering it: the panel's height is set from the number of
    rows, and a new view of as many rows only repaints the panel (no layout of the screen,
    which would render the table once more to measure it)."""

    view: reactive[BoardView | None] = reactive(None, layout=False)

    def rows(self, view: BoardView) -> int:
        raise NotImplementedError

    def watch_view(self, view: BoardView | None) -> None:
        height = 0 if view is None else 1 + self.rows(view) + self.styles.gutter.height
        if self.styles.height is None or self.styles.height.cells != height:
            self.styles.height = height  # a layout, only when the number of rows changes


class IndicatorPanel(TablePanel):
    def rows(self, view: BoardView) -> int:
        return len(view.indicators)

    def render(self) -> RenderableType:
        if self.view is None:
            return ""
        return indicator_table(self.view, self.content_size.width, palette_of(self.screen))


class ActorPanel(TablePanel):
    def rows(self, view: BoardView) -> int:
        return len(view.actors)

    def render(self) -> RenderableType:
        if self.view is None:
            return ""
        return actor_table(self.view, self.content_size.width, palette_of(self.screen))


class BoardPanel(Horizontal):
    """Indicators and actors; the card of the event in view; the log of events so far."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.logged: list[str] = []  # the log's lines as written

    def compose(self) -> ComposeResult:
        with Vertical(id="left"):
            with VerticalScroll(id="indicator-box"):
                yield IndicatorPanel(id="indicators")
            yield ActorPanel(id="actors")
        with Vertical(id="right"):
            with VerticalScroll(id="card-box"):
                yield Static(id="card")
            yield RichLog(id="log", wrap=True, markup=False, min_width=20)

    def show(self, view: BoardView, card: Text, log: Sequence[Text]) -> None:
        """Draw the board: the view, the card, and the log (rewritten when it changed)."""
        self.query_one(IndicatorPanel).view = view
        self.query_one(ActorPanel).view = view
        self.query_one("#card", Static).update(card)
        self.query_one("#card-box", VerticalScroll).scroll_home(animate=False)
        written = self.query_one("#log", RichLog)
        lines = [line.plain for line in log]
        start = len(self.logged)
        if lines[:start] != self.logged:
            written.clear()
            start = 0
        for line in log[start:]:
            written.write(line)
        self.logged = lines
