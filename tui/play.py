"""`wargame play` (and `replay --tui`): check what the command line says, then open the
Textual game, or a finished game on the board, read-only.

Everything that can be checked is checked before the game takes over the screen (the
terminal's size, the scenario, the saves folder, the save to resume or watch, the results
file to compare with), so a mistake is one line in the terminal, not a full-screen
traceback; and a game that ends with an error exits with status 1, not 0.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.engine.errors import (
    RecordError,
    ReplayError,
    UsageError,
    WargameError,
    expected_one_of,
)
from wargame.engine.game import Game, autosave_dir, latest_autosave
from wargame.engine.records import SaveRecord, check_record, read_json
from wargame.engine.scenario import load_scenario
from wargame.engine.typicality import AIGames, read_ai_games
from wargame.tui.host.access import Access, access_path
from wargame.tui.paths import input_file, output_folder

if TYPE_CHECKING:
    from textual.app import App

    from wargame.engine.compiled import Scenario
    from wargame.engine.playback import Playback

__all__ = ["MIN_SIZE", "parse_humans", "play_command", "watch_command"]

MIN_SIZE = (80, 24)


def parse_humans(
    text: str | None, actor_ids: list[str], names: dict[str, str]
) -> tuple[str, ...] | None:
    """`nato,Turkey` as actor ids (ids or names, any case); None when not given."""
    if text is None:
        return None
    chosen = []
    by_name = {name.lower(): actor for actor, name in names.items()} | {
        a.lower(): a for a in actor_ids
    }
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        actor = by_name.get(part.lower())
        if actor is None:
            raise UsageError(f"--human: unknown actor {expected_one_of(part, actor_ids)}")
        if actor not in chosen:
            chosen.append(actor)
    return tuple(chosen)


def _check_terminal() -> None:
    if sys.stdout.isatty():
        columns, lines = os.get_terminal_size()
        if columns < MIN_SIZE[0] or lines < MIN_SIZE[1]:
            raise UsageError(
                f"the game needs a terminal of at least {MIN_SIZE[0]}x{MIN_SIZE[1]}; "
                f"this one is {columns}x{lines}: enlarge it and start again"
            )


def _baseline(scenario: Scenario, path: Path | None) -> AIGames | None:
    """The AI games a results file holds, checked to be of this scenario as it is now."""
    return read_ai_games(scenario, input_file(path, "--baseline")) if path else None


def watch_command(playback: Playback, source: str) -> int:
    """A finished game (a Monte Carlo run, a save) on the board, read-only."""
    from wargame.tui.app.app import WargameApp

    _check_terminal()
    return _run(WargameApp(playback=playback, source=source))


def play_command(args: argparse.Namespace) -> int:
    from wargame.tui.app.app import WargameApp

    _check_terminal()
    if args.replay is not None:
        for option in ("resume", "human", "seed", "facilitator_pin", "baseline"):
            if getattr(args, option) is not None:
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"--replay watches a saved game as it was: {flag} does not apply")
        path = input_file(Path(args.replay), "--replay")
        return watch_command(Game.load(path).playback(), path.name)
    pin = args.facilitator_pin
    if pin is not None and not pin.strip():
        raise UsageError("--facilitator-pin: the PIN is empty")
    saves = output_folder(args.saves, "--saves") if args.saves is not None else None
    if args.resume is not None:
        if args.resume == "latest":
            path = latest_autosave(saves or output_folder(autosave_dir(), "the saves folder"))
            if path is None:
                raise UsageError("no autosave to resume: start a game with `wargame play`")
        else:
            path = input_file(Path(args.resume), "--resume")
        output_folder(path.parent, "--resume")  # it is saved again after every event
        game = Game.load(path, autosave_to=path)
        _check_kept_pin(path, pin)
        baseline = _baseline(game.scenario, args.baseline)
        return _run(WargameApp(game=game, baseline=baseline, facilitator_pin=pin))
    scenario = load_scenario(args.scenario)
    # a file by its absolute path, so that its saves resume from any folder
    ref = str(Path(args.scenario).resolve()) if Path(args.scenario).exists() else args.scenario
    ids = [a.id for a in scenario.actors]
    humans = parse_humans(args.human, ids, {a.id: a.name for a in scenario.actors})
    seed = args.seed
    if humans is not None and seed is None:
        import secrets

        seed = secrets.randbelow(10**6)
    if saves is None:
        output_folder(autosave_dir(), "the saves folder (set WARGAME_SAVES or use --saves)")
    notice = _unfinished_notice(saves or autosave_dir())
    if notice is not None:
        print(notice, file=sys.stderr)
    baseline = _baseline(scenario, args.baseline)
    return _run(
        WargameApp(
            scenario=ref,
            humans=humans,
            seed=seed,
            saves=saves,
            baseline=baseline,
            facilitator_pin=pin,
            notice=notice,
        )
    )


def _unfinished_notice(folder: Path) -> str | None:
    """What to tell a player who starts a new game while the latest save (the one `--resume`
    takes) is a game not played to its end: a new game would become the latest."""
    path = latest_autosave(folder)
    if path is None:
        return None
    try:
        record = check_record(read_json(path), SaveRecord)
        unfinished = record.position.turn <= load_scenario(record.scenario.ref).turns
    except (RecordError, WargameError):
        return None  # not a game that --resume could continue
    if not unfinished:
        return None
    return (
        f"An unfinished game is saved in {path}. To go on with it, quit and run: "
        f"wargame play --resume {shlex.quote(str(path))}"
    )


def _check_kept_pin(save: Path, pin: str | None) -> None:
    """The facilitator's PIN kept beside a save must read, or the resumed game would open
    unlocked; a PIN given again replaces it."""
    kept = access_path(save)
    if pin is None and kept.exists():
        try:
            Access.load(kept)
        except ReplayError as exc:
            raise ReplayError(
                f"{exc}; to set a new PIN: wargame play --resume {save} --facilitator-pin PIN"
            ) from None


def _run(app: App[None]) -> int:
    """Run the game; 1 if it stopped on an error (Textual has shown it), else 0."""
    app.run()
    return 1 if app.return_code else 0
