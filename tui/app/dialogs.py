"""Small modal screens: confirm, help, scrollable text, and passing the screen between teams."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from wargame.tui.terminal import terminal_safe

__all__ = ["ConfirmScreen", "HelpScreen", "PassScreen", "TextScreen"]

HELP = """\
[b]Keys[/b]
  n or space   play on: the next events, up to your next decision
  1-9          pick (or, for a veto, toggle) an option; Enter confirms
  w            why: every decision this turn with its reasons (utilities, odds, draws)
  b            your role brief: goals, priorities, red lines, the paper's words
  f            facilitator: pause, override a result, roll back the turn, inject an event
  ?            this help
  Escape       close a window
  Ctrl+Q       quit (the game is saved after every event; `wargame play --resume`)

[b]The board[/b]
Indicators: value now, change this turn, history. Actors: ▸ marks those played by
a team; "pushes" is the issue each cares most about and the way it wants it to go.

[b]How a turn works[/b]
Each turn is half a year. Scheduled events (elections, summits) happen at their
date; drawn events happen by chance. Each names who decides and by which rule:
one actor alone, an agenda setter with veto players, a seat-weighted vote,
nature's draw, or a demand that the party asked accepts or refuses.
AI actors pick by how close each option brings the world to their ideal points.
"""


class TextScreen(ModalScreen[None]):
    """Scrollable text over the board (role briefs, reasons, help)."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, title: str, body: Text | str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(self.body, markup=isinstance(self.body, str))
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(TextScreen):
    def __init__(self) -> None:
        super().__init__("Help", HELP)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            yield Static("[b]y[/b] yes   [b]n[/b] no", classes="hint")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PassScreen(ModalScreen[None]):
    """Hides the board while the screen passes to the next team."""

    BINDINGS = [Binding("enter", "ready", "Ready")]

    def __init__(self, actor_name: str, event_title: str) -> None:
        super().__init__()
        self.actor_name = actor_name
        self.event_title = event_title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            name, title = terminal_safe(self.actor_name, markup=True), self.event_title
            yield Static(f"[b]Pass the screen to {name}[/b]")
            yield Static(
                f"{name} decides on: {terminal_safe(title, markup=True)}.\n"
                "Other teams' choices stay hidden until everyone has decided."
            )
            yield Static("Press [b]Enter[/b] when the team is ready.", classes="hint")
        yield Footer()

    def action_ready(self) -> None:
        self.dismiss(None)
