"""A finished game on the board, read-only: step forward and back through its events with the
same board, event card and reasons as live play. A Monte Carlo run (`wargame replay ...
--tui`) or a saved game (`wargame play --replay SAVE`) becomes something a class can watch.

`index` (the step shown) is the screen's only state; `redraw()` draws the engine's view of
that step.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from wargame.engine.indicators import indicator_names, label, value_text
from wargame.engine.playback import Playback
from wargame.tui.app.board import BREAKPOINTS, intro_card, status_line
from wargame.tui.app.board_panel import BoardPanel
from wargame.tui.app.history import HistoryScreen, event_card
from wargame.tui.app.palette import PALETTE_CLASSES, palette_of
from wargame.tui.app.render import log_line
from wargame.tui.story import Palette

__all__ = ["ReplayScreen"]


class ReplayScreen(Screen[None]):
    COMPONENT_CLASSES = PALETTE_CLASSES
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    # priority: the arrows and Home/End step through the game, not scroll a panel
    BINDINGS = [
        Binding("right,n,space", "step(1)", "Next", priority=True),
        Binding("left,p", "step(-1)", "Back", priority=True),
        Binding("right_square_bracket", "turn(1)", "Turn"),
        Binding("left_square_bracket", "turn(-1)", "Turn back", show=False),
        Binding("home", "go(0)", "Start", show=False, priority=True),
        Binding("end", "go(-1)", "End", show=False, priority=True),
        Binding("w", "history", "Why"),
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, playback: Playback, source: str) -> None:
        super().__init__()
        self.playback = playback
        self.source = source  # "seed 1, run 42", or the save's name

    def compose(self) -> ComposeResult:
        yield Static(id="status", classes="replay")
        yield BoardPanel(id="board")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()

    def watch_index(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        playback = self.playback
        frame = playback.frames[self.index]
        palette = palette_of(self)
        view = playback.board(self.index)
        last = len(playback.frames) - 1
        tail = f"step {self.index}/{last} · {self.source}"
        # the step's own half-year (a turn's end is its turn's), "game over" once it is
        date = view.date if view.over else playback.scenario.date(frame.turn)
        self.query_one("#status", Static).update(
            "[b]REPLAY[/b] (read-only) · "
            + status_line(view.title, frame.turn, view.turns, date, tail),
            layout=False,  # one line, whatever it says
        )
        if frame.resolution is not None:
            shown = event_card(playback, frame.resolution, palette, all_values=False)
        elif frame.kind == "turn_end":
            shown = self._turn_end(palette)
        else:
            spec = playback.scenario.spec
            hint = "→ or n steps forward, ← or p back, [ ] a turn; w lists every event."
            shown = intro_card(spec.title, spec.description, hint, palette)
        done = [f.resolution for f in playback.frames[: self.index + 1] if f.resolution]
        log = [log_line(playback.scenario, r, palette) for r in done]
        self.query_one(BoardPanel).show(view, shown, log)

    def _turn_end(self, palette: Palette) -> Text:
        scenario = self.playback.scenario
        frame = self.playback.frames[self.index]
        text = Text(f"End of turn {frame.turn} ({scenario.date(frame.turn)})\n", palette.title)
        changes = self.playback.changes(self.index)
        order = [n for n in indicator_names(scenario) if n in changes]
        if order:
            text.append("At the turn's end the world drifts:\n", style=palette.muted)
        for name in order:
            before, after = changes[name]
            style = palette.up if after > before else palette.down
            text.append(f"{label(scenario, name)}: ")
            text.append(
                f"{value_text(scenario, name, before)} → {value_text(scenario, name, after)}\n",
                style=style,
            )
        return text

    def action_step(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.playback.frames):
            self.index = target
        else:
            self.app.bell()

    def action_turn(self, step: int) -> None:
        """To the next turn's first step, or back to this turn's (or the previous one's)."""
        frames = self.playback.frames
        here = frames[self.index].turn
        if step > 0:
            ahead = [i for i in range(self.index + 1, len(frames)) if frames[i].turn > here]
            target = ahead[0] if ahead else None
        else:
            start = min(i for i, f in enumerate(frames) if f.turn == here)
            if start == self.index and here > 1:
                start = min(i for i, f in enumerate(frames) if f.turn == here - 1)
            target = start if start != self.index else None
        if target is None:
            self.app.bell()
        else:
            self.index = target

    def action_go(self, index: int) -> None:
        self.index = index % len(self.playback.frames)

    @work(exclusive=True, group="history")
    async def action_history(self) -> None:
        frame = self.playback.frames[self.index]
        picked = await self.app.push_screen_wait(
            HistoryScreen(self.playback, frame.resolution, "History: Enter jumps to an event")
        )
        if picked is not None:
            self.index = self.playback.index_of(picked)
