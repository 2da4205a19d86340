"""The Textual game: setup, role briefs, the board, decisions, the facilitator, the debrief;
or, read-only, a finished game replayed step by step.

The app holds no game state: a `Game` (engine) holds it, the screens render what it says and
send the players' decisions back. Screens tell the app what they need with messages
(`BriefRequested`, `GameOver`, `GameChanged`); the app sets what screens show. When a game
starts, a Monte Carlo of the same scenario (10,000 AI games, a fraction of a second) runs in a
worker so that the debrief can say how typical the game was.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from wargame.actors.briefs import role_brief
from wargame.engine.errors import RuntimeFailure, WargameError
from wargame.engine.game import Game, GameSetup, autosave_dir
from wargame.engine.playback import Playback
from wargame.engine.typicality import BASELINE_RUNS, AIGames, ai_games
from wargame.tui.app.board import BoardScreen
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.app.dialogs import ConfirmScreen, HelpScreen, PassScreen, PinScreen, TextScreen
from wargame.tui.app.facilitator import ChooseScreen, FacilitatorScreen, ReasonScreen
from wargame.tui.app.history import HistoryScreen
from wargame.tui.app.messages import BriefRequested, GameChanged, GameOver
from wargame.tui.app.replay import ReplayScreen
from wargame.tui.app.setup import SetupChoice, SetupScreen
from wargame.tui.brief_text import brief_lines
from wargame.tui.host.access import Access, access_path

__all__ = ["WargameApp"]

_FACILITATOR_SCREENS = (FacilitatorScreen, PinScreen, ChooseScreen, ReasonScreen)


class WargameApp(App[None]):
    TITLE = "wargame"
    CSS_PATH = "wargame.tcss"
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
        Binding("q", "request_quit", "Quit", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("w", "history", "Why"),
        Binding("f", "facilitator", "Facilitator"),
    ]

    baseline: reactive[AIGames | None] = reactive(None, init=False)
    baseline_note: reactive[str] = reactive("comparing with AI-played games…", init=False)

    def __init__(
        self,
        *,
        scenario: str = "madrid-2022",
        humans: tuple[str, ...] | None = None,
        seed: int | None = None,
        game: Game | None = None,
        saves: Path | None = None,
        save_as: Path | None = None,
        playback: Playback | None = None,
        source: str = "",
        baseline: AIGames | None = None,
        baseline_runs: int = BASELINE_RUNS,
        facilitator_pin: str | None = None,
        notice: str | None = None,
    ) -> None:
        """`playback` opens a finished game read-only (`source` says which); otherwise a new
        game (setup asks what `scenario`, `humans` and `seed` leave open) or a resumed
        `game`. `baseline` is the AI games to compare with, else `baseline_runs` are played.
        `notice` is shown as the app opens."""
        super().__init__()
        self.preset = (scenario, humans, seed)
        self.saves = saves or autosave_dir()
        self.save_as = save_as  # an exact autosave path (tests); else one per game in `saves`
        self.resumed = game
        self.playback = playback
        self.source = source
        self.given_baseline = baseline
        self.baseline_runs = baseline_runs
        # the PIN as a salted hash, kept beside the save as a hosted game keeps it
        self.access = Access.new([], facilitator_pin.strip()) if facilitator_pin else None
        self.game: Game | None = None
        self.notice = notice  # shown at the start (an unfinished game the player may want)

    def on_mount(self) -> None:
        # Everything alive now (the modules of numpy, pandas, Mesa, Textual: a few hundred
        # thousand objects) lives as long as the app: out of the collector's sight, a full
        # collection in the middle of the game no longer walks them (a ~0.1 s stall on a key
        # press).
        gc.freeze()
        if self.notice is not None:
            self.notify(self.notice, severity="warning", timeout=60, markup=False)
        if self.playback is not None:
            self.push_screen(ReplayScreen(self.playback, self.source))
            return
        if self.resumed is not None:
            self.start_game(self.resumed)
            return
        scenario, humans, seed = self.preset
        if humans is not None and seed is not None:
            self.new_game(SetupChoice(GameSetup(scenario, seed, humans), None))
            return
        self.push_screen(SetupScreen(scenario, humans or (), seed), self.new_game)

    def new_game(self, choice: SetupChoice | None) -> None:
        if choice is None:
            return
        setup = choice.setup
        if choice.pin:
            self.access = Access.new([], choice.pin.strip())
        stamp = time.strftime("%Y%m%d-%H%M%S")
        scenario_name = Path(setup.scenario).stem
        path = self.save_as or self.saves / f"{scenario_name}-{stamp}-seed{setup.seed}.json"
        game = Game.start(setup, save_path=path)
        game.autosave()
        self.start_game(game, briefs=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`w` and `f` act on a game: until one is set up, they are not offered."""
        needs_game = action in ("history", "facilitator")
        return not needs_game or self.game is not None or self.playback is not None

    def start_game(self, game: Game, briefs: bool = False) -> None:
        self.game = game
        self.refresh_bindings()
        self.keep_pin(game)
        given = self.given_baseline
        if given is not None and given.scenario_id == game.scenario.id:
            self.baseline = given
        else:
            self.play_baseline(game)
        self.push_screen(BoardScreen(game))
        if briefs:
            for actor in reversed(game.setup.humans):  # pushed last is shown first
                self.show_brief(actor)

    def keep_pin(self, game: Game) -> None:
        """Keep the facilitator's PIN (its salted hash) beside the save, or take the one kept
        there, so that a resumed game stays locked; a PIN given again replaces it."""
        if game.save_path is None:
            return
        kept = access_path(game.save_path)
        if self.access is None:
            if kept.exists():  # `wargame play` checked that it reads
                self.access = Access.load(kept)
            return
        try:
            self.access.save(kept)
        except RuntimeFailure as exc:
            message = f"{exc}: a resumed game will not be locked by the PIN"
            self.notify(message, severity="error", timeout=30, markup=False)

    @work(thread=True, exclusive=True, group="baseline")
    def play_baseline(self, game: Game) -> None:
        """The AI games the debrief compares with, played while the class plays."""
        runs = self.baseline_runs
        self.call_from_thread(setattr, self, "baseline_note", f"playing {runs:,} AI games…")
        try:
            games = ai_games(game.scenario, runs, temperatures=game.setup.temperatures)
        except WargameError as exc:
            note = f"no comparison: the AI games could not be played ({exc})"
            self.call_from_thread(setattr, self, "baseline_note", note)
            return
        self.call_from_thread(setattr, self, "baseline", games)
        self.call_from_thread(gc.freeze)  # the game and its AI games are here to stay too

    # -- what the screens ask for -------------------------------------------------------------

    @on(GameOver)
    def show_debrief(self) -> None:
        if self.game is not None and not isinstance(self.screen, DebriefScreen):
            self.push_screen(DebriefScreen(self.game))

    @on(BriefRequested)
    def brief_requested(self, message: BriefRequested) -> None:
        if self.game is None:
            return
        actors = [message.actor] if message.actor else list(self.game.setup.humans)
        if not actors:
            self.notify("every actor is played by the AI: `wargame actors NAME` prints any brief")
        for actor in actors:
            self.show_brief(actor)

    def show_brief(self, actor: str) -> None:
        if self.game is None:
            return
        brief = role_brief(self.game.scenario, actor)
        self.push_screen(
            TextScreen(f"Role brief: {brief.name}", Text("\n".join(brief_lines(brief, 72))))
        )

    @on(GameChanged)
    def game_changed(self) -> None:
        """Redraw every screen of the game under the facilitator's dialog."""
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen | DebriefScreen):
                screen.changed()

    # -- keys that work everywhere ----------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        """Every event so far with every reason (a replay has its own, which jumps)."""
        if self.game is None or isinstance(self.screen, HistoryScreen):
            return
        latest = self.game.resolutions[-1] if self.game.resolutions else None
        self.push_screen(HistoryScreen(self.game, latest, "History: every event and its reasons"))

    @work(exclusive=True, group="facilitator")
    async def action_facilitator(self) -> None:
        """The facilitator's controls from any screen, behind the PIN if one was set; then
        drop a team's question that the facilitator's change made stale."""
        if self.playback is not None:
            self.notify("a replay is read-only: it has no facilitator")
            return
        game = self.game
        if game is None or isinstance(self.screen, _FACILITATOR_SCREENS):
            return
        if self.access is not None:
            pin = await self.push_screen_wait(PinScreen())
            if pin is None:
                return
            if not self.access.facilitator(pin.strip()):
                self.notify("wrong PIN: the facilitator's controls stay locked", severity="error")
                return
        changed = await self.push_screen_wait(FacilitatorScreen(game))
        if not changed:
            return
        screen = self.screen
        if isinstance(screen, DecisionScreen | PassScreen) and screen.request != game.pending:
            screen.dismiss(None)  # asked in a world that no longer exists
            self.notify("the facilitator changed the game: n plays on from here")
        if isinstance(self.screen, DebriefScreen) and not game.done:
            self.pop_screen()  # rolled back from the debrief: play on
        elif game.done and isinstance(self.screen, BoardScreen):
            self.show_debrief()

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):  # asked twice: the answer is yes
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        saved = (
            f" It is saved in {self.game.save_path}." if self.game and self.game.save_path else ""
        )
        self.push_screen(ConfirmScreen(f"Quit the game?{saved}"), answer)
