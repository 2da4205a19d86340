"""What the host tests share: a real `wargame host` process, and a team that always answers
with its first open option (accepting every option it may)."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from wargame.tui.host.protocol import Advance, Choice, Decide
from wargame.tui.host.session import Client, HostedGame


def first_choice(turn: int, event: str, actor: str, role: str, options: Sequence[str]) -> Decide:
    accepts = list(options) if role == "veto" else None
    return Decide(
        choice=Choice(
            turn=turn, event=event, actor=actor, role=role, option=options[0], accepts=accepts
        )
    )


def play_until(hosted: HostedGame, stop: Callable[[HostedGame], bool]) -> None:
    """Teams answer with their first option, the facilitator advances, until `stop`."""
    for _ in range(500):
        if stop(hosted):
            return
        if hosted.game.done:
            raise AssertionError("the game ended first")
        p = hosted.game.pending
        if p is None:
            hosted.handle(Client("facilitator"), Advance())
        else:
            decide = first_choice(p.turn, p.event, p.actor, p.role, p.options)
            hosted.handle(Client("team", p.actor), decide)
    raise AssertionError("never stopped")


TEAMS = ("nato", "eu", "us_congress", "turkey")
SEED = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Host:
    """`wargame host` in its own process, on loopback; with `web_port`, its browser page too."""

    def __init__(
        self, saves: Path, port: int, teams: Sequence[str] = TEAMS, web_port: int = 0
    ) -> None:
        self.saves, self.port, self.teams, self.web_port = saves, port, teams, web_port
        self.process: subprocess.Popen[str] | None = None

    def start(self, *extra: str) -> None:
        command = [
            sys.executable,
            "-m",
            "wargame.tui.cli",
            "host",
            "madrid-2022",
            "--teams",
            ",".join(self.teams),
            "--seed",
            str(SEED),
            "--port",
            str(self.port),
            "--web-port",
            str(self.web_port),
            "--saves",
            str(self.saves),
            "--facilitator-pin",
            "1234",
            *extra,
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        for line in self.process.stdout:  # type: ignore[union-attr]
            if line.startswith("Facilitator:"):
                if self.web_port:
                    self._wait_for_web()
                return
        raise AssertionError(f"the host did not start: exit {self.process.wait()}")

    def _wait_for_web(self, seconds: float = 20.0) -> None:
        """The browser page is its own process, started after the host's announcement."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.web_port), timeout=1),
            ):
                return
            time.sleep(0.1)
        raise AssertionError(f"the browser page never listened on port {self.web_port}")

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}/"

    @property
    def save(self) -> Path:
        return next(self.saves.glob("hosted-*.json"))

    def codes(self) -> dict[str, str]:
        return json.loads(self.save.with_name(self.save.name + ".codes").read_text())["codes"]

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stdout.close()  # type: ignore[union-attr]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        if self.process is not None:
            self.process.stdout.close()  # type: ignore[union-attr]
