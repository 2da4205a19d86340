"""An interactive game: one run, its outside decisions, and saves that replay exactly.

A `Game` wraps a batch-of-one model. Everything a person does (a human's choice, a
facilitator's override, an injected event, a roll-back) becomes an edit of the decision
log followed by a replay from the start: the engine stays the only source of state, and
a save (scenario, seed, setup, decisions, position) is checked by replaying it and
comparing a digest of the state. Saves are versioned JSON, written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wargame.engine import ENGINE_VERSION
from wargame.engine.board import BoardView, board_view
from wargame.engine.compiled import Scenario
from wargame.engine.decisions import Decision, DecisionRequest, Resolution
from wargame.engine.errors import (
    DecisionError,
    RecordError,
    ReplayError,
    RuntimeFailure,
    UsageError,
    WargameError,
    expected_one_of,
    short_repr,
)
from wargame.engine.files import os_reason
from wargame.engine.model import WargameModel
from wargame.engine.playback import MomentRecorder, Playback, record
from wargame.engine.preview import ClosedOption, OptionPreview, closed_options, preview
from wargame.engine.records import SaveRecord, check_record, read_json
from wargame.engine.scenario import bundled_scenarios, load_scenario

__all__ = [
    "SAVE_FORMAT",
    "Game",
    "GameSetup",
    "Position",
    "RollbackPlan",
    "autosave_dir",
    "latest_autosave",
    "replay",
    "state_digest",
]

SAVE_FORMAT = "wargame-save"
SAVE_VERSION = 1


@dataclass(frozen=True)
class GameSetup:
    """Who plays what: the scenario, the seed, the human actors and AI temperatures."""

    scenario: str  # a bundled name or an absolute path
    seed: int
    humans: tuple[str, ...] = ()
    temperatures: Mapping[str, float] = field(default_factory=dict)


def state_digest(model: WargameModel) -> str:
    """A fingerprint of the whole state: equal digests, equal games."""
    digest = hashlib.sha256()
    state = model.state
    digest.update(str(state.turn).encode())
    for group in (state.fields, state.fired, state.choices):
        for name in sorted(group):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(group[name]).tobytes())
    return digest.hexdigest()


def autosave_dir() -> Path:
    base = os.environ.get("WARGAME_SAVES") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "wargame", "saves"
    )
    return Path(base)


def latest_autosave(folder: Path | None = None) -> Path | None:
    """The most recently written save in `folder` (default: the autosave folder); a save
    that vanishes meanwhile is skipped."""
    dated = []
    for save in (folder or autosave_dir()).glob("*.json"):
        try:
            dated.append((save.stat().st_mtime, save))
        except OSError:
            continue
    return max(dated)[1] if dated else None


@dataclass(frozen=True)
class Rollback:
    """A facilitator's roll-back: from where, back to the start of which turn, and why, with
    the facilitator's overrides and injections it undid (so that none of their reasons is
    lost). Kept in the save's journal (it changes no state that a replay could check)."""

    from_turn: int
    to_turn: int
    reason: str
    undone: tuple[Decision, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_turn": self.from_turn,
            "to_turn": self.to_turn,
            "reason": self.reason,
            "undone": [d.to_dict() for d in self.undone],
        }


@dataclass(frozen=True)
class RollbackPlan:
    """What a roll-back does: back to the start of `turn`, just after `kept` (the last event
    that stands, None at the game's start), undoing `undone`."""

    turn: int
    date: str
    kept: Resolution | None
    undone: list[Resolution]


@dataclass(frozen=True, order=True)
class Position:
    """Where a game stands: the next event (`cursor`) of `turn`, and whether a human has
    been asked to decide on it (`pending`)."""

    turn: int
    cursor: int = 0
    pending: bool = False

    @classmethod
    def of(cls, model: WargameModel) -> Position:
        return cls(model.turn, model.cursor, model.pending is not None)


def replay(
    scenario: Scenario,
    setup: GameSetup,
    decisions: Iterable[Decision],
    to: Position,
    recorder: MomentRecorder | None = None,
) -> WargameModel:
    """A fresh batch-of-one model with these decisions, played to exactly this position
    (observed by `recorder`, if given, from its first event)."""
    model = WargameModel(
        scenario,
        seed=setup.seed,
        runs=[0],
        humans=setup.humans,
        decisions=decisions,
        temperatures=setup.temperatures,
        explain=True,
    )
    if recorder is not None:
        model.observers.append(recorder)
    model.play_to(to.turn, to.cursor)
    if to.pending and model.pending is None:
        model.play_to(to.turn, to.cursor + 1)  # ask the human again
    return model


class Game:
    """One interactive game. The UI reads `model`, `pending`, `resolutions`; it changes the
    game only through the methods here."""

    def __init__(
        self,
        scenario: Scenario,
        setup: GameSetup,
        save_path: Path | None = None,
        model: WargameModel | None = None,
        moments: MomentRecorder | None = None,
    ) -> None:
        """`moments`, when `model` is given, is the recorder that observed it from the start
        (without one, the events played so far cannot say which options were closed)."""
        self.scenario = scenario
        self.setup = setup
        self.save_path = save_path
        self.save_problem: str | None = None  # why the last autosave failed, if it did
        self.paused = False
        self.journal: list[Rollback] = []  # roll-backs, with their reasons
        if model is None:
            moments = MomentRecorder()
            model = replay(scenario, setup, [], Position(1), moments)
        self.moments = moments or MomentRecorder()
        self.model = model

    @classmethod
    def start(cls, setup: GameSetup, save_path: Path | None = None) -> Game:
        return cls(load_scenario(setup.scenario), setup, save_path=save_path)

    # -- what the interface shows ------------------------------------------------------------

    @property
    def pending(self) -> DecisionRequest | None:
        return self.model.pending

    @property
    def turn(self) -> int:
        return self.model.turn

    @property
    def done(self) -> bool:
        return self.model.done

    @property
    def resolutions(self) -> list[Resolution]:
        return self.model.resolutions

    @property
    def position(self) -> Position:
        return Position.of(self.model)

    @property
    def decisions(self) -> list[Decision]:
        return list(self.model.log.decisions)

    def value(self, name: str) -> float | str:
        """A field's current value; facts as their label."""
        raw = self.model.state.fields[name][0]
        if name in self.scenario.facts:
            return self.scenario.facts[name].labels[int(raw)]
        return float(raw)

    def history(self, name: str) -> list[float]:
        """An indicator's value at the start and at the end of every completed turn."""
        collector = self.model.datacollector
        if collector is None:  # a game's model always explains itself; a batch's does not
            raise UsageError("no history: this model plays a batch, not a game")
        return list(collector.model_vars[name])

    def board(self) -> BoardView:
        """What the board shows now."""
        history = self.model.datacollector.model_vars if self.model.datacollector else {}
        mid_turn = self.model.cursor > 0
        return board_view(self.model, self.model.state, history, self.setup.humans, mid_turn)

    def preview(self, request: DecisionRequest) -> list[OptionPreview]:
        """Every option of a pending decision: what it would change now and its value to the
        actor, or what closes it."""
        return preview(self.scenario, self.model.state, request)

    def closed(self, resolution: Resolution) -> list[ClosedOption]:
        """The options of an event that happened which their conditions had closed."""
        for moment, done in zip(self.moments.moments, self.resolutions):
            if done is resolution:
                return closed_options(self.scenario.event(resolution.event), moment.before)
        return []

    def injection(self, resolution: Resolution) -> Decision | None:
        """The facilitator's injection that made this event happen, if one did."""
        found = self.model.log.find(resolution.turn, resolution.event, "inject")
        return found[0] if found else None

    def playback(self) -> Playback:
        """The game so far, step by step, to watch again (read-only)."""
        model = replay(self.scenario, self.setup, self.decisions, Position(1))
        position = self.position
        to = (position.turn, position.cursor)
        return record(model, self.setup.humans, to, self.journal)

    def injectable(self) -> list[str]:
        """Deck events the facilitator can make happen now."""
        env = self.model.state.env()
        out = []
        for event in self.scenario.events:
            if not event.drawn:
                continue
            if event.condition is not None and not bool(
                np.broadcast_to(event.condition(env), (1,))[0]
            ):
                continue
            if not event.spec.repeat and bool(self.model.state.fired[event.id][0]):
                continue
            out.append(event.id)
        return out

    # -- playing --------------------------------------------------------------------------------

    def advance(self) -> list[Resolution]:
        """Play on until a human must decide or the turn ends; returns what happened."""
        if self.paused:
            raise DecisionError("the game is paused: resume it from the facilitator menu")
        before = len(self.model.resolutions)
        if not self.done:
            self.model.step()
        self.autosave()
        return self.model.resolutions[before:]

    def decide(self, decision: Decision) -> None:
        """A human's decision for the pending request (checked against it)."""
        if self.pending is None:
            raise DecisionError("no decision is pending")
        self.model.submit(decision)
        self.autosave()

    def overridable(self) -> list[Resolution]:
        """What happened this turn or, at a turn's start, in the turn just played."""
        turns = {self.turn, self.turn - 1} if self.model.cursor == 0 else {self.turn}
        latest = max((r.turn for r in self.resolutions if r.turn in turns), default=None)
        return [r for r in self.resolutions if r.turn == latest]

    def override(self, event: str, option: str, reason: str) -> None:
        """Set the result of an event that has just happened, and replay its turn with it."""
        happened = [r for r in self.overridable() if r.event == event]
        if not happened:
            done = sorted({r.event for r in self.overridable()})
            raise DecisionError(f"{event!r} has not just happened {expected_one_of(event, done)}")
        turn = happened[0].turn
        options = self.scenario.event(event).option_ids
        if option not in options:
            raise DecisionError(f"{event!r} has no option {expected_one_of(option, options)}")
        _need_reason(reason, "an override")
        decisions = [
            *self._before_the_change(turn, event),
            Decision(turn, event, "override", option=option, reason=reason.strip()),
        ]
        self._replay(decisions, to_turn=turn, step=True)

    def inject(self, event: str, reason: str) -> None:
        """Make a deck event happen this turn (its condition must hold)."""
        injectable = self.injectable()
        if event not in injectable:
            raise DecisionError(f"cannot inject {event!r} now {expected_one_of(event, injectable)}")
        _need_reason(reason, "an injection")
        turn = self.turn
        decisions = [
            *self._before_the_change(turn, event),
            Decision(turn, event, "inject", reason=reason.strip()),
        ]
        self._replay(
            decisions, to_turn=turn, step=self.model.cursor > 0 or self.pending is not None
        )

    def facilitate(
        self, action: str, event: str | None = None, option: str | None = None, reason: str = ""
    ) -> None:
        """One facilitator control by its name, as a hosted game's messages carry it: pause,
        resume, override (event, option), inject (event) or rollback, with its reason."""
        if action in ("pause", "resume"):
            self.paused = action == "pause"
            self.autosave()  # a game killed while paused comes back paused
        elif action == "rollback":
            self.rollback(reason)
        elif action not in ("override", "inject"):
            controls = ["inject", "override", "pause", "resume", "rollback"]
            raise UsageError(f"no facilitator control {expected_one_of(action, controls)}")
        elif event is None:
            raise UsageError(f"{action} needs an event")
        elif action == "inject":
            self.inject(event, reason)
        elif option is None:
            raise UsageError("an override needs the option to set")
        else:
            self.override(event, option, reason)

    def rollback_target(self) -> int:
        """The turn a roll-back returns to the start of: this one, or at a turn's start the
        previous one."""
        turn = self.turn
        if self.model.cursor == 0 and self.pending is None and not self._started_turn(turn):
            turn = max(1, turn - 1)
        return turn

    def rollback_plan(self) -> RollbackPlan:
        """Where a roll-back would return to, and what it would undo."""
        turn = self.rollback_target()
        kept = [r for r in self.resolutions if r.turn < turn]
        undone = [r for r in self.resolutions if r.turn >= turn]
        return RollbackPlan(turn, self.scenario.date(turn), kept[-1] if kept else None, undone)

    def rollback(self, reason: str) -> None:
        """Back to the start of the current turn (or of the previous one, at a turn's start),
        recorded with its reason."""
        _need_reason(reason, "a roll-back")
        turn = self.rollback_target()
        undone = tuple(d for d in self.decisions if d.turn >= turn and d.kind != "choice")
        self.journal.append(Rollback(self.turn, turn, reason.strip(), undone))
        self._replay([d for d in self.decisions if d.turn < turn], to_turn=turn, step=False)

    def _before_the_change(self, turn: int, event: str) -> list[Decision]:
        """The decisions that still stand when `event` of `turn` changes: the teams' choices
        on later events of that turn were made in a world that no longer exists, so the
        replay asks for them again."""
        order = [e.id for e in self.scenario.events]
        later = set(order[order.index(event) + 1 :])
        return [
            d
            for d in self.decisions
            if not (d.turn == turn and d.kind == "choice" and d.event in later)
        ]

    def _started_turn(self, turn: int) -> bool:
        return any(r.turn == turn for r in self.resolutions)

    def _replay(self, decisions: list[Decision], to_turn: int, step: bool) -> None:
        """Replay to the start of `to_turn` and, with `step`, on through it up to the next
        human decision."""
        self.moments = MomentRecorder()
        self.model = replay(self.scenario, self.setup, decisions, Position(to_turn), self.moments)
        if step and self.pending is None and not self.done:
            self.model.step()
        self.autosave()

    # -- saving ------------------------------------------------------------------------------------

    def to_save(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "engine_version": ENGINE_VERSION,
            "scenario": {
                "ref": self.setup.scenario,
                "id": self.scenario.id,
                "sha256": self.scenario.digest,
            },
            "seed": self.setup.seed,
            "humans": list(self.setup.humans),
            "temperatures": dict(self.setup.temperatures),
            "decisions": [d.to_dict() for d in self.decisions],
            "journal": [r.to_dict() for r in self.journal],
            "paused": self.paused,
            "position": asdict(self.position),
            "state_sha256": state_digest(self.model),
        }

    def save(self, path: Path) -> Path:
        """Write the game atomically: a reader sees the old save or the new one, never half."""
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(self.to_save(), handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise RuntimeFailure(f"cannot save the game to {path}: {os_reason(exc)}") from None
        return path

    def autosave(self) -> None:
        """Save to `save_path` after every change. A failure (disk full, folder gone) does
        not stop the game: it is kept in `save_problem` for the interface to show."""
        if self.save_path is None:
            return
        try:
            self.save(self.save_path)
        except RuntimeFailure as exc:
            self.save_problem = str(exc)
        else:
            self.save_problem = None

    @classmethod
    def load(cls, path: Path, autosave_to: Path | None = None) -> Game:
        """Read a save, check it against its schema, replay it, and check that the replay
        reaches the saved state."""
        try:
            data = read_json(path)
        except RecordError as exc:
            if not path.exists() and not path.is_symlink():
                raise ReplayError(f"no save file at {path}") from None
            raise ReplayError(f"{path} is not a readable save file (damaged?): {exc}") from None
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise ReplayError(f"{path} is not a wargame save (no 'format: {SAVE_FORMAT}')")
        if data.get("version") != SAVE_VERSION:
            raise ReplayError(
                f"{path} is a version {short_repr(data.get('version'))} save; this wargame "
                f"reads version {SAVE_VERSION}"
            )
        try:
            record = check_record(data, SaveRecord)
        except RecordError as exc:
            raise ReplayError(f"{path} is damaged: {exc}") from None
        ref = record.scenario.ref
        if not Path(ref).exists() and ref not in bundled_scenarios():
            raise ReplayError(f"{path} was played on {ref!r}, which is not here")
        scenario = load_scenario(ref)
        if scenario.digest != record.scenario.sha256:
            raise ReplayError(
                f"{path} was played on another version of {ref!r}: "
                "its scenario or actor files have changed since"
            )
        if record.engine_version != ENGINE_VERSION:
            raise ReplayError(
                f"{path} was saved by engine {short_repr(record.engine_version)}, this is "
                f"{ENGINE_VERSION}: its replay could differ"
            )
        saved = record.position
        position = Position(saved.turn, saved.cursor, saved.pending)
        if saved.turn > scenario.turns + 1 or saved.cursor > len(scenario.events):
            raise ReplayError(
                f"{path} is damaged: its position (turn {saved.turn}, event {saved.cursor}) "
                f"is past the end of {scenario.id} ({scenario.turns} turns)"
            )
        for number, rolled in enumerate(record.journal):
            if not rolled.to_turn <= min(rolled.from_turn, scenario.turns):
                raise ReplayError(
                    f"{path} is damaged: journal.{number}: a roll-back from turn "
                    f"{rolled.from_turn} back to the start of turn {rolled.to_turn} cannot "
                    f"happen in {scenario.id} ({scenario.turns} turns)"
                )
        try:
            setup = GameSetup(ref, record.seed, tuple(record.humans), dict(record.temperatures))
            decisions = [Decision.from_dict(d.model_dump()) for d in record.decisions]
            moments = MomentRecorder()
            model = replay(scenario, setup, decisions, position, moments)
            game = cls(scenario, setup, model=model, moments=moments)
        except (KeyError, TypeError, ValueError, WargameError) as exc:
            raise ReplayError(f"{path} is damaged: {exc}") from None
        if game.position != position or state_digest(game.model) != record.state_sha256:
            raise ReplayError(
                f"{path} does not replay to the state it recorded: the save is damaged"
            )
        game.journal = [
            Rollback(
                r.from_turn,
                r.to_turn,
                r.reason,
                tuple(Decision.from_dict(d.model_dump()) for d in r.undone),
            )
            for r in record.journal
        ]
        game.paused = record.paused
        game.save_path = autosave_to
        return game


def _need_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise DecisionError(f"{what} needs a reason for the log")
