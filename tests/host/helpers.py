"""A team that always answers with its first open option (accepting every option it may)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
