"""The messages between a host and its clients, one JSON object per WebSocket message.

Every message is a pydantic model with a `type`; anything else is refused with a reason.
A client says `hello` first (a team with its join code, or the facilitator with the PIN),
then sends decisions and, as the facilitator, the controls. The host answers each message
with `ack` or `refused`, and sends every client a `snapshot` whenever the game changes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "Ack",
    "Advance",
    "Choice",
    "ClientMessage",
    "Decide",
    "Facilitate",
    "Hello",
    "Refused",
    "ServerMessage",
    "Snapshot",
    "Welcome",
    "parse_client",
    "parse_server",
]

Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Message):
    """A team joins with its code, or the facilitator with the PIN."""

    type: Literal["hello"] = "hello"
    team: Name | None = None
    code: Annotated[str, Field(max_length=32)] | None = None
    pin: Annotated[str, Field(max_length=64)] | None = None


class Choice(_Message):
    """A team's choice, as the engine's `Decision` of kind "choice" has it."""

    turn: Annotated[int, Field(ge=1, le=1000)]
    event: Name
    actor: Name
    role: Literal["decider", "setter", "veto", "voter", "member", "demander", "asked"]
    option: Name | None = None
    accepts: Annotated[list[Name], Field(max_length=1000)] | None = None


class Decide(_Message):
    """A team's decision on the request it was sent."""

    type: Literal["decide"] = "decide"
    choice: Choice


class Advance(_Message):
    """The facilitator plays on: to the next decision a team must make, or the turn's end."""

    type: Literal["advance"] = "advance"


class Facilitate(_Message):
    """A facilitator's control: pause or resume, override a result, inject an event, roll
    back. Overrides, injections and roll-backs need a reason, as in the game."""

    type: Literal["facilitate"] = "facilitate"
    action: Literal["pause", "resume", "override", "inject", "rollback"]
    event: Name | None = None
    option: Name | None = None
    reason: Text = ""


ClientMessage = Annotated[Hello | Decide | Advance | Facilitate, Field(discriminator="type")]


class Welcome(_Message):
    """What a client needs to rebuild the game locally: the scenario and the setup."""

    type: Literal["welcome"] = "welcome"
    role: Literal["team", "facilitator"]
    team: str | None
    scenario: str  # a bundled name or a file name among `files`
    sha256: str
    files: dict[str, str]  # a scenario from a file: its text and its actors' (name -> text)
    seed: int
    humans: list[str]
    temperatures: dict[str, float]


class Snapshot(_Message):
    """The game as this client may see it. `decisions` omits other teams' choices on an
    event that has not resolved yet; `request` is this team's pending decision, if any;
    `waiting_for` says who must decide before the game goes on."""

    type: Literal["snapshot"] = "snapshot"
    version: int
    decisions: list[dict[str, Any]]
    journal: list[dict[str, Any]]
    turn: int
    cursor: int
    request: dict[str, Any] | None
    waiting_for: list[str]
    paused: bool
    done: bool
    saved: bool


class Ack(_Message):
    type: Literal["ack"] = "ack"
    of: str


class Refused(_Message):
    type: Literal["refused"] = "refused"
    reason: str


ServerMessage = Annotated[Welcome | Snapshot | Ack | Refused, Field(discriminator="type")]

_CLIENT: TypeAdapter[Hello | Decide | Advance | Facilitate] = TypeAdapter(ClientMessage)
_SERVER: TypeAdapter[Welcome | Snapshot | Ack | Refused] = TypeAdapter(ServerMessage)


def parse_client(text: str | bytes) -> Hello | Decide | Advance | Facilitate:
    """A client's message (pydantic's ValidationError for anything else)."""
    return _CLIENT.validate_json(text)


def parse_server(text: str | bytes) -> Welcome | Snapshot | Ack | Refused:
    return _SERVER.validate_json(text)
