"""The hosted game: one `Game`, the teams' access, and what each client may see and do.

Every change goes through here, one message at a time: a team's decision (checked against
the request it answers, saved before it is acknowledged, then played on up to the next
decision or the turn's end), the facilitator's advance and controls. A client is sent a
`Snapshot` from which it replays the game itself; other teams' choices on an event that has
not resolved are left out, so a team can never see them before the result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.errors import DecisionError, UsageError
from wargame.engine.game import Game, replay
from wargame.engine.scenario import bundled_scenarios
from wargame.tui.host.access import Access
from wargame.tui.host.protocol import Advance, Decide, Facilitate, Hello, Snapshot, Welcome

__all__ = ["Client", "HostedGame"]


@dataclass(frozen=True)
class Client:
    """Who a connection speaks for."""

    role: Literal["team", "facilitator"]
    team: str | None = None


def scenario_files(game: Game) -> dict[str, str]:
    """A scenario from a file travels with its actor files (relative to its folder); a
    bundled one travels by name."""
    if game.setup.scenario in bundled_scenarios():
        return {}
    folder = Path(game.scenario.file).parent
    files = {Path(game.scenario.file).name: Path(game.scenario.file).read_text("utf-8")}
    for actor in game.scenario.actors:
        path = Path(actor.file)
        if path.is_relative_to(folder):
            files[str(path.relative_to(folder))] = path.read_text("utf-8")
    return files


class HostedGame:
    """The one source of truth of a hosted game."""

    def __init__(self, game: Game, access: Access) -> None:
        if game.save_path is None:
            raise UsageError("a hosted game needs a save file: every decision is saved first")
        unknown = sorted(set(access.codes) - set(game.setup.humans))
        if unknown:
            raise UsageError(f"teams {unknown} are not human actors of this game")
        self.game = game
        self.access = access
        self.files = scenario_files(game)
        self.version = 0  # goes up with every change

    # -- joining ---------------------------------------------------------------------------

    def join(self, hello: Hello) -> Client:
        """The client a `hello` speaks for, or UsageError."""
        if hello.team is not None:
            if not self.access.team_of(hello.team, hello.code or ""):
                raise UsageError(f"wrong code for {hello.team!r} (or no such team in this game)")
            return Client("team", hello.team)
        if not self.access.facilitator(hello.pin):
            raise UsageError("wrong facilitator PIN")
        return Client("facilitator")

    def welcome(self, client: Client) -> Welcome:
        setup = self.game.setup
        return Welcome(
            role=client.role,
            team=client.team,
            scenario=setup.scenario if not self.files else Path(self.game.scenario.file).name,
            sha256=self.game.scenario.digest,
            files=self.files,
            seed=setup.seed,
            humans=list(setup.humans),
            temperatures=dict(setup.temperatures),
        )

    # -- what a client sees ------------------------------------------------------------------

    def _resolved(self, decision: Decision) -> bool:
        """Whether the game has played past the event a decision is about."""
        order = [e.id for e in self.game.scenario.events]
        here = (self.game.turn, self.game.model.cursor)
        return (decision.turn, order.index(decision.event)) < here

    def snapshot(self, client: Client) -> Snapshot:
        game = self.game
        shown = [
            d
            for d in game.decisions
            if client.role == "facilitator"
            or d.kind != "choice"
            or d.actor == client.team
            or self._resolved(d)
        ]
        pending = game.pending
        mine = pending is not None and client.role == "team" and pending.actor == client.team
        return Snapshot(
            version=self.version,
            decisions=[d.to_dict() for d in shown],
            journal=[asdict(r) for r in game.journal],
            turn=game.turn,
            cursor=game.model.cursor,
            request=_request(pending) if mine and pending is not None else None,
            waiting_for=[pending.actor] if pending is not None else [],
            paused=game.paused,
            done=game.done,
            saved=game.save_problem is None,
        )

    # -- changing the game ---------------------------------------------------------------------

    def handle(self, client: Client, message: Decide | Advance | Facilitate) -> str:
        """Apply one message; returns what to acknowledge, or raises a WargameError whose
        message is sent back as a refusal."""
        if isinstance(message, Decide):
            self._decide(client, message)
        elif client.role != "facilitator":
            raise UsageError("only the facilitator can do that")
        elif isinstance(message, Advance):
            self._advance()
        else:
            self._facilitate(message)
        self.version += 1
        return message.type

    def _decide(self, client: Client, message: Decide) -> None:
        if client.role != "team":
            raise UsageError("the facilitator does not decide for a team: override instead")
        choice = message.choice
        accepts = tuple(choice.accepts) if choice.accepts is not None else None
        decision = Decision(
            choice.turn, choice.event, "choice", choice.actor, choice.role, choice.option, accepts
        )
        if decision.actor != client.team:
            raise UsageError(f"you play {client.team}: you can only make its own choices")
        pending = self.game.pending
        if pending is None or pending.actor != client.team:
            waiting = f"waiting for {pending.actor}" if pending else "no decision is pending"
            raise DecisionError(f"not your decision to make now ({waiting})")
        before, position = self.game.decisions, self.game.position
        self.game.decide(decision)
        if self.game.save_problem is not None:
            # not saved, so not taken: the game goes back to asking for it
            problem = self.game.save_problem
            self.game.model = replay(self.game.scenario, self.game.setup, before, position)
            raise DecisionError(f"the host could not save your decision ({problem}): try again")
        if not self.game.paused:
            self.game.advance()

    def _advance(self) -> None:
        pending = self.game.pending
        if pending is not None:
            raise DecisionError(f"waiting for {pending.actor} to decide")
        if self.game.done:
            raise DecisionError("the game is over")
        self.game.advance()

    def _facilitate(self, message: Facilitate) -> None:
        self.game.facilitate(message.action, message.event, message.option, message.reason)


def _request(pending: DecisionRequest) -> dict[str, object]:
    data = asdict(pending)
    data["options"] = list(pending.options)
    data["utilities"] = dict(pending.utilities)
    return data
