"""The JSON files the program writes and reads back (results manifests, saves), checked
by a schema before any of their values is used.

A save or a manifest may have been damaged by a crash, edited by hand or come from
someone else. `read_record` reads at most a bounded number of bytes and validates the
whole file against a pydantic model, so a turn of `Infinity`, a seed given as text or
a missing field is one sentence ("damaged: position.turn: ..."), never an
OverflowError, a TypeError or a KeyError from deep inside a replay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)

from wargame.engine.errors import FileRefused, RecordError, short_repr
from wargame.engine.files import read_limited
from wargame.engine.limits import MAX_CHUNK_SIZE, MAX_LEVELS, MAX_RUNS, MAX_SAVE_BYTES
from wargame.engine.text import first_control

__all__ = [
    "SEED_END",
    "DesignRecord",
    "ManifestRecord",
    "ProvenanceRecord",
    "SaveRecord",
    "Seed",
    "SpecRecord",
    "Temperature",
    "read_record",
    "value_problem",
]

SEED_END = 2**64  # seeds are 0 to 2**64 - 1: what the counter-based draws take
Seed = Annotated[int, Field(ge=0, lt=SEED_END)]
Temperature = Annotated[float, Field(ge=0, allow_inf_nan=False)]  # an AI actor's, in points
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def _no_controls(text: str) -> str:
    found = first_control(text)
    if found is not None:
        raise ValueError(f"text may not hold control characters (found {found[1]})")
    return text


# text in a record reaches the screen (a reason, an actor's id): no control characters
Short = Annotated[str, Field(max_length=4096), AfterValidator(_no_controls)]
Count = Annotated[int, Field(ge=0, le=MAX_RUNS)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
MAX_TURNS = 1000  # far above any scenario's (schema: at most 200)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class DesignRecord(_Record):
    """A sampling design as `Design.describe` writes it (fields added later pass through)."""

    model_config = ConfigDict(extra="allow")

    kind: Short
    seed: Seed
    runs: Annotated[int, Field(ge=1, le=MAX_RUNS)]
    fixed: dict[Short, Finite]
    vary: list[Short] | None
    levels: Annotated[int, Field(ge=1, le=MAX_LEVELS)]
    varied: list[Short]


class SpecRecord(_Record):
    """A batch's `BatchSpec` as the manifest records it (fields added later pass through:
    resuming compares them all)."""

    model_config = ConfigDict(extra="allow")

    scenario: Short
    scenario_sha256: Digest
    seed: Seed
    runs: Annotated[int, Field(ge=1, le=MAX_RUNS)]
    chunk_size: Annotated[int, Field(ge=1, le=MAX_CHUNK_SIZE)]
    design: DesignRecord
    temperatures: dict[Short, Temperature]
    draw_group: Annotated[int, Field(ge=1, le=MAX_RUNS)]
    engine_version: Short
    trajectories: bool = False  # absent in manifests written before trajectories existed


Time = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
Commit = Annotated[str, Field(pattern=r"^[0-9a-f]{40}([0-9a-f]{24})?$")]
# a command line may be long (many --set), and a person reads it to run it again
CommandLine = Annotated[str, Field(max_length=100_000), AfterValidator(_no_controls)]


class _Session(_Record):
    """A later session that resumed the batch."""

    command: CommandLine
    started: Time
    versions: dict[Short, Short]


class ProvenanceRecord(_Record):
    """How a batch was made (engine.provenance): enough to make it again."""

    model_config = ConfigDict(extra="allow")

    command: CommandLine
    started: Time
    finished: Time | None
    engine_version: Short
    versions: dict[Short, Short]
    scenario_path: Short
    scenario_sha256: Digest
    git_commit: Commit | None
    scenario_git_commit: Commit | None
    resumed: Annotated[list[_Session], Field(max_length=100_000)] = []


class ManifestRecord(_Record):
    """What `engine.store` writes beside a results file (manifests from before provenance
    and trajectories have neither)."""

    model_config = ConfigDict(extra="allow")  # the interface adds what it likes to show

    scenario: Short | None
    complete: bool
    runs_done: Count
    spec: SpecRecord
    done: Annotated[list[Count], Field(max_length=MAX_RUNS)]
    trajectories: Short | None = None  # the trajectories file's name, beside the results
    provenance: ProvenanceRecord | None = None


class _ScenarioRef(_Record):
    ref: Short
    id: Short
    sha256: Digest


class _Position(_Record):
    turn: Annotated[int, Field(ge=1, le=MAX_TURNS + 1)]
    cursor: Annotated[int, Field(ge=0, le=10_000)]
    pending: bool


class _Decision(_Record):
    turn: Annotated[int, Field(ge=1, le=MAX_TURNS)]
    event: Short
    kind: Literal["choice", "override", "inject"] = "choice"
    actor: Short | None = None
    role: Short | None = None
    option: Short | None = None
    accepts: list[Short] | None = None
    reason: Short = ""
    run: Count | None = None


class _Rollback(_Record):
    from_turn: Annotated[int, Field(ge=1, le=MAX_TURNS + 1)]
    to_turn: Annotated[int, Field(ge=1, le=MAX_TURNS)]
    reason: Short
    undone: Annotated[list[_Decision], Field(max_length=100_000)] = []  # facilitator actions


class SaveRecord(_Record):
    """A saved game as `Game.to_save` writes it."""

    format: Literal["wargame-save"]
    version: int
    engine_version: Short
    scenario: _ScenarioRef
    seed: Seed
    humans: list[Short]
    temperatures: dict[Short, Temperature]
    decisions: Annotated[list[_Decision], Field(max_length=100_000)]
    journal: Annotated[list[_Rollback], Field(max_length=100_000)] = []
    paused: bool = False  # by the facilitator (absent in saves from before it was kept)
    position: _Position
    state_sha256: Digest


Model = TypeVar("Model", bound=BaseModel)


def read_json(path: Path, limit: int = MAX_SAVE_BYTES) -> Any:
    """A JSON file's data, read within `limit` bytes; RecordError if it is not JSON."""
    try:
        return json.loads(read_limited(path, limit).decode("utf-8"))
    except FileRefused as exc:
        raise RecordError(f"cannot read it: {exc}") from None
    except RecursionError:
        raise RecordError("not readable JSON: nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise RecordError(f"not readable JSON: {exc}") from None


def check_record(data: Any, model: type[Model]) -> Model:
    """`data` validated by `model`; RecordError naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        got = error.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {short_repr(got)})"
        more = f" and {exc.error_count() - 1} more" if exc.error_count() > 1 else ""
        text = error["msg"].removeprefix("Value error, ")
        message = text[0].lower() + text[1:]
        raise RecordError(f"{where}: {message}{shown}{more}") from None


def value_problem(kind: Any, value: Any) -> str | None:
    """Why a record would refuse `value` as a field of type `kind` (`Seed`, `Temperature`),
    or None: what a person enters for a game is checked by the bound its save is read with,
    so that no game is played that could not be resumed."""
    try:
        TypeAdapter(kind, config=_Record.model_config).validate_python(value)
    except ValidationError as exc:
        text = exc.errors(include_url=False)[0]["msg"]
        return text[0].lower() + text[1:]
    return None


def read_record(path: Path, model: type[Model], limit: int = MAX_SAVE_BYTES) -> Model:
    """The JSON file at `path`, read within `limit` bytes and validated by `model`."""
    return check_record(read_json(path, limit), model)
