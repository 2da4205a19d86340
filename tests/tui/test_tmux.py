"""The real `wargame play` in a real terminal (tmux, 80x24): a few turns by keyboard, then
killed with SIGKILL mid-game, then resumed from its autosave to the same state; and two teams
playing a whole game to the debrief, which compares it with 10,000 AI games."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from wargame.engine.game import Game

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)
WARGAME = str(Path(sys.executable).with_name("wargame"))


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, test: Callable[[str], bool], what: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = screen(session)
        if test(text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}; the screen shows:\n{screen(session)}")


@pytest.fixture
def session(tmp_path: Path):
    name = f"wargame-test-{os.getpid()}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def start(session: str, *args: str) -> int:
    env = f"cd {Path.cwd()} && exec {WARGAME} play " + " ".join(args)
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", env)
    return int(tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])


def test_play_in_tmux_kill_and_resume(session: str, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    pid = start(session, "--human", "turkey", "--seed", "5", "--saves", str(saves))
    wait_for(session, lambda s: "Role brief: Turkey" in s, "Turkey's role brief")
    tmux("send-keys", "-t", session, "Escape")
    wait_for(session, lambda s: "turn 1/8" in s, "the board")
    for _ in range(60):
        text = screen(session)
        if "turn 4/8" in text and "Pick 1-9" not in text:
            break
        if "Pick 1-9" in text:
            tmux("send-keys", "-t", session, "1")
            time.sleep(0.2)
            tmux("send-keys", "-t", session, "Enter")
        else:
            tmux("send-keys", "-t", session, "n")
        time.sleep(0.6)
    board = wait_for(session, lambda s: "turn 4/8" in s, "turn 4")
    assert "▸ Turkey" in board  # played by a team
    (save,) = saves.glob("*.json")
    os.kill(pid, signal.SIGKILL)  # no clean exit
    time.sleep(0.5)
    game = Game.load(save)  # replays the log and checks the state's digest
    assert game.turn == 4
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    start(session, "--resume", str(save))
    resumed = wait_for(session, lambda s: "turn 4/8" in s, "the resumed board")
    assert "seed 5" in resumed
    tmux("send-keys", "-t", session, "C-q")
    wait_for(session, lambda s: "Quit the game?" in s, "the quit question")


def test_two_teams_play_in_tmux_to_a_debrief_with_percentiles(session: str, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    start(session, "--human", "turkey,eu", "--seed", "5", "--saves", str(saves))
    wait_for(session, lambda s: "Role brief: Turkey" in s, "Turkey's role brief")
    seen: set[str] = set()
    for _ in range(300):
        text = screen(session)
        if "Debrief:" in text:
            break
        if "Role brief" in text:
            seen.add("brief")
            tmux("send-keys", "-t", session, "Escape")
        elif "when the team is ready" in text:
            seen.add("pass")
            tmux("send-keys", "-t", session, "Enter")
        elif "Pick 1-9" in text:
            seen.add("decision")
            tmux("send-keys", "-t", session, "1")
            time.sleep(0.2)
            tmux("send-keys", "-t", session, "Enter")
        else:
            tmux("send-keys", "-t", session, "n")
        time.sleep(0.4)
    debrief = wait_for(
        session, lambda s: "Your European Union scored" in s, "the debrief's comparison", 60
    )
    assert seen == {"brief", "pass", "decision"}
    assert "against 10,000 AI games" in debrief
    (save,) = saves.glob("*.json")
    game = Game.load(save)
    assert game.done and game.setup.humans == ("turkey", "eu")
    # the sentences name the teams' real scores, each with its percentile among the AI games
    flat = " ".join(debrief.split())
    for actor, name in (("turkey", "Turkey"), ("eu", "European Union")):
        said = f"Your {name} scored {float(game.value(f'score_{actor}')):.1f}; AI {name} averages"
        assert said in flat, flat
    assert flat.count("percentile)") >= 2
    assert "pct AI games" in flat  # the table of scores with their percentiles and strips
