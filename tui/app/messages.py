"""What the screens tell the app: domain messages, posted up the DOM instead of calls into it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

__all__ = ["BriefRequested", "GameChanged", "GameOver"]


@dataclass
class BriefRequested(Message):
    """Show the role brief of `actor`, or of every team's actor when None."""

    actor: str | None = None


class GameOver(Message):
    """The last turn has been played: time for the debrief."""


class GameChanged(Message):
    """The facilitator changed the game (override, roll-back, injection, pause): redraw, and
    drop any decision asked in a world that no longer exists."""
