"""Small modal screens: confirm, help, scrollable text, passing the screen between teams, and
the facilitator's PIN."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from wargame.tui.terminal import terminal_safe

__all__ = [
    "GAME_KEYS",
    "QUIT_KEY",
    "ConfirmScreen",
    "HelpScreen",
    "PassScreen",
    "PinScreen",
    "TextScreen",
]

# A modal screen hides the app's own keys: the screens a game passes through bind these to
# the app's actions, so that the facilitator (and the history, and help) are one key away
# from any of them, a team's decision and the pass-the-screen step included.
GAME_KEYS = [
    Binding("f", "app.facilitator", "Facilitator"),
    Binding("w", "app.history", "Why", show=False),
    Binding("question_mark", "app.help", "Help", show=False),
]
QUIT_KEY = Binding("q", "app.request_quit", "Quit", show=False)

# each key's line wraps under its own description, never back to the left edge (at 80x24
# the old text block did)
_KEYS = [
    ("n or space", "play on: the next events, up to your next decision"),
    ("1-9", "pick (or, for a veto, toggle) an option; Enter confirms"),
    (
        "w",
        "why: the whole history, event by event, with every reason (odds, draws, votes, "
        "vetoes, each actor's values, the facilitator's)",
    ),
    ("b", "your role brief: goals, priorities, red lines, the paper's words"),
    (
        "f",
        "facilitator (from any screen): pause, override a result, roll back, inject an "
        "event; behind a PIN if one was set at setup",
    ),
    ("r", "in the debrief: write the after-action report (HTML and Markdown)"),
    ("← →", "in a replay: step back and forward; [ ] a turn; Home End"),
    ("?", "this help"),
    ("Escape, q", "close a window; q on the board asks to quit"),
    (
        "Ctrl+Q",
        "quit (Ctrl+C too; twice, without the question); the game is saved after every event",
    ),
]
_ABOUT = [
    (
        "The board",
        "Indicators: value now, change this turn, history. Actors: ▸ marks those played by a "
        'team; "pushes" is the issue each cares most about and the way it wants it to go. '
        "Options closed now are listed greyed, with the condition that closes them.",
    ),
    (
        "How a turn works",
        "Each turn is half a year. Scheduled events (elections, summits) happen at their "
        "date; drawn events happen by chance. Each names who decides and by which rule: one "
        "actor alone, an agenda setter with veto players, a seat-weighted vote, nature's "
        "draw, or a demand that the party asked accepts or refuses. AI actors pick by how "
        "close each option brings the world to their ideal points.",
    ),
]


def help_text() -> Group:
    """The keys, two columns wide, then how to read the board and a turn."""
    keys = Table.grid(padding=(0, 2))
    keys.add_column(no_wrap=True)
    keys.add_column()
    for key, what in _KEYS:
        keys.add_row(key, what)
    parts: list[RenderableType] = [Text("Keys", style="bold"), keys]
    for title, text in _ABOUT:
        parts += [Text(""), Text(title, style="bold"), Text(text)]
    return Group(*parts)


class TextScreen(ModalScreen[None]):
    """Scrollable text over the board (role briefs, reasons, help)."""

    BINDINGS = [Binding("escape,q", "close", "Close"), *GAME_KEYS]

    def __init__(self, title: str, body: RenderableType) -> None:
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
        super().__init__("Help", help_text())


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


class PassScreen(ModalScreen[bool | None]):
    """Hides the board while the screen passes to the next team. Dismisses with True when the
    team is ready, None when the facilitator changed the game under it."""

    BINDINGS = [Binding("enter", "ready", "Ready"), *GAME_KEYS, QUIT_KEY]

    def __init__(self, actor_name: str, event_title: str, request: object = None) -> None:
        super().__init__()
        self.actor_name = actor_name
        self.event_title = event_title
        self.request = request  # the decision it leads to

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
        self.dismiss(True)


class PinScreen(ModalScreen[str | None]):
    """Asks for the facilitator's PIN (typed hidden); dismisses with what was typed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Facilitator", classes="dialog-title")
            yield Static("The facilitator's controls are locked. PIN:")
            yield Input(password=True, placeholder="PIN, then Enter", id="pin")
            yield Static("Escape goes back.", classes="hint")
        yield Footer()

    @on(Input.Submitted, "#pin")
    def submitted(self, message: Input.Submitted) -> None:
        self.dismiss(message.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
