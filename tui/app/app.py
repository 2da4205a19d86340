"""The Textual game: setup, role briefs, the board, decisions, the facilitator, the debrief.

The app holds no game state: a `Game` (engine) holds it, the screens render what it says
and send the players' decisions back.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.binding import Binding

from wargame.actors.briefs import role_brief
from wargame.engine.game import Game, GameSetup, autosave_dir
from wargame.tui.app.board import BoardScreen
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.dialogs import ConfirmScreen, HelpScreen, TextScreen
from wargame.tui.app.setup import SetupScreen
from wargame.tui.brief_text import brief_lines

__all__ = ["WargameApp"]


class WargameApp(App[None]):
    TITLE = "wargame"
    CSS_PATH = "wargame.tcss"
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        *,
        scenario: str = "madrid-2022",
        humans: tuple[str, ...] | None = None,
        seed: int | None = None,
        game: Game | None = None,
        saves: Path | None = None,
        save_as: Path | None = None,
    ) -> None:
        super().__init__()
        self.preset = (scenario, humans, seed)
        self.saves = saves or autosave_dir()
        self.save_as = save_as  # an exact autosave path (tests); else one per game in `saves`
        self.resumed = game
        self.game: Game | None = None

    def on_mount(self) -> None:
        if self.resumed is not None:
            self.start_game(self.resumed)
            return
        scenario, humans, seed = self.preset
        if humans is not None and seed is not None:
            self.new_game(GameSetup(scenario, seed, humans))
            return
        self.push_screen(SetupScreen(scenario, humans or (), seed), self.new_game)

    def new_game(self, setup: GameSetup | None) -> None:
        if setup is None:
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        scenario_name = Path(setup.scenario).stem
        path = self.save_as or self.saves / f"{scenario_name}-{stamp}-seed{setup.seed}.json"
        game = Game.start(setup, save_path=path)
        game.autosave()
        self.start_game(game, briefs=True)

    def start_game(self, game: Game, briefs: bool = False) -> None:
        self.game = game
        self.push_screen(BoardScreen(game))
        if briefs:
            for actor in reversed(game.setup.humans):  # pushed last is shown first
                self.action_brief(actor)

    def show_debrief(self) -> None:
        if self.game is not None and not isinstance(self.screen, DebriefScreen):
            self.push_screen(DebriefScreen(self.game))

    def action_brief(self, actor: str | None = None) -> None:
        """The role brief of `actor`, or of each human actor, or a note if all are AI."""
        if self.game is None:
            return
        humans = self.game.setup.humans
        actors = [actor] if actor else list(humans)
        if not actors:
            self.notify("every actor is played by the AI: `wargame actors NAME` prints any brief")
            return
        for name in actors:
            brief = role_brief(self.game.scenario, name)
            self.push_screen(
                TextScreen(f"Role brief: {brief.name}", Text("\n".join(brief_lines(brief, 72))))
            )

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        saved = (
            f" It is saved in {self.game.save_path}." if self.game and self.game.save_path else ""
        )
        self.push_screen(ConfirmScreen(f"Quit the game?{saved}"), answer)
