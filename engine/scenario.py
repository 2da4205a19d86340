"""Loading a scenario: read, validate, resolve names, compile every expression once.

The result's types are in `wargame.engine.compiled`; actor profiles load through
`wargame.actors.profiles`.

`load_scenario` returns an immutable `Scenario` whose events, options, effects and
outcomes hold compiled expressions ready to run over the run axis, and whose actors
are resolved profiles. Anything wrong, anywhere in the scenario or its actor files,
is collected and raised together as one ScenarioError.
"""

from __future__ import annotations

import hashlib
import keyword
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from wargame.actors.profiles import PROFILE_DIR, Profile, bundled_actors, load_profile
from wargame.engine.compiled import CompiledEvent, CompiledOption, Scenario
from wargame.engine.errors import ExprError, Problem, ScenarioError, expected_one_of
from wargame.engine.expressions import BOOL, NUMBER, Compiled, ExprType, FactType, compile_expr
from wargame.engine.schema import (
    CollectiveEvent,
    Event,
    EventSpec,
    Option,
    ScenarioFile,
    VetoEvent,
    VoteEvent,
    is_path_like,
)
from wargame.engine.validation import pydantic_problems
from wargame.engine.yamlio import Document, Loc, read_yaml

__all__ = [
    "bundled_scenarios",
    "file_kind",
    "load_scenario",
    "resolve_scenario_path",
]

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = _PACKAGE_ROOT / "scenarios"
_EVENT = TypeAdapter(Event)


def bundled_scenarios() -> dict[str, Path]:
    """Scenario names shipped with the package, mapped to their files."""
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}


def resolve_scenario_path(ref: str | Path) -> Path:
    """A bundled scenario name or a path; an unknown name gets a did-you-mean."""
    path = Path(ref)
    if path.exists() or is_path_like(str(ref)):
        return path
    bundled = bundled_scenarios()
    if str(ref) in bundled:
        return bundled[str(ref)]
    message = f"no such scenario file or bundled scenario {expected_one_of(str(ref), bundled)}"
    raise ScenarioError([Problem(str(ref), 1, 1, "", message)])


def load_scenario(ref: str | Path) -> Scenario:
    """Read, validate and compile a scenario and its actors; raise with every problem found."""
    path = resolve_scenario_path(ref)
    doc = read_yaml(path)
    return _ScenarioLoader(doc, path).load()


def file_kind(doc: Document) -> str | None:
    """'scenario' or 'actor' from a file's `kind`, or None when it has none."""
    return doc.data.get("kind") if isinstance(doc.data, dict) else None


class _ScenarioLoader:
    """Checks one scenario document section by section, collecting problems, then compiles it."""

    def __init__(self, doc: Document, path: Path) -> None:
        self.doc = doc
        self.path = path
        self.problems: list[Problem] = []
        self.texts: list[bytes] = [doc.raw]
        self.broken_actors: set[str] = set()

    def load(self) -> Scenario:
        raw = self.doc.data
        if not isinstance(raw, dict):
            raise ScenarioError(
                [self.doc.problem((), "a scenario file must be a mapping of fields")]
            )
        spec: ScenarioFile | None = None
        try:
            spec = ScenarioFile.model_validate(raw)
        except ValidationError as exc:
            self.problems.extend(pydantic_problems(exc, self.doc, ScenarioFile))
        dims = _section(raw, "dimensions")
        facts = {
            name: FactType(name, tuple(f["values"]))
            for name, f in _section(raw, "facts").items()
            if isinstance(f, dict)
            and isinstance(f.get("values"), list)
            and all(isinstance(v, str) for v in f["values"])
        }
        actors = self._actors(raw.get("actors"), dims)
        names = self._names(raw, dims, facts, actors)
        self.problems.extend(_name_clashes(self.doc, raw, actors))
        outcomes = self._outcomes(raw, names)
        targets: dict[str, ExprType] = {d: NUMBER for d in dims}
        targets |= facts
        targets |= {m.seat_field: NUMBER for a in actors for m in a.members if m.seat_field}
        names |= {n: NUMBER for n, _ in outcomes}
        drift = self._effects(raw.get("drift") or {}, ("drift",), names, targets)
        events = self._events(raw.get("events"), names, targets, actors, raw.get("turns"))
        event_ids = [e.id for e in events]
        for i, branch in enumerate(raw.get("branches") or []):
            if isinstance(branch, str) and event_ids and branch not in event_ids:
                message = f"unknown event {expected_one_of(branch, event_ids)}"
                self.problems.append(self.doc.problem(("branches", i), message))
        if self.problems or spec is None:
            raise ScenarioError(self.problems)
        digest = hashlib.sha256(b"\0".join(self.texts)).hexdigest()
        return Scenario(
            spec,
            str(self.path),
            digest,
            tuple(actors),
            facts,
            tuple(outcomes),
            tuple(drift),
            tuple(events),
        )

    def _actors(self, refs: Any, dims: Mapping[str, Any]) -> list[Profile]:
        if not isinstance(refs, list):
            return []
        bundled = bundled_actors()
        profiles: list[Profile] = []
        for i, ref in enumerate(refs):
            if not isinstance(ref, str):
                continue
            if is_path_like(ref):
                path, refused = _actor_path(self.path, ref)
                if path is None:
                    self.problems.append(self.doc.problem(("actors", i), refused))
                    continue
            elif ref in bundled:
                path = bundled[ref]
            else:
                message = f"unknown actor {expected_one_of(ref, bundled)}"
                self.problems.append(self.doc.problem(("actors", i), message))
                continue
            try:
                actor_doc = read_yaml(path)
            except ScenarioError as exc:
                self.problems.extend(exc.problems)
                self.broken_actors.add(ref)
                continue
            self.texts.append(actor_doc.raw)
            profile = load_profile(actor_doc, dims, self.problems)
            if profile is None:
                # reported in its own file; references to it are not errors of this one
                self.broken_actors.add(
                    actor_doc.data.get("id", ref) if isinstance(actor_doc.data, dict) else ref
                )
                continue
            if any(p.id == profile.id for p in profiles):
                self.problems.append(
                    self.doc.problem(("actors", i), f"actor {profile.id!r} is listed twice")
                )
                continue
            profiles.append(profile)
        return profiles

    def _names(
        self,
        raw: dict[str, Any],
        dims: Mapping[str, Any],
        facts: Mapping[str, FactType],
        actors: list[Profile],
    ) -> dict[str, ExprType]:
        names: dict[str, ExprType] = {"turn": NUMBER}
        names |= {d: NUMBER for d in dims}
        names |= facts
        names |= {p: NUMBER for p in _section(raw, "parameters")}
        names |= {m.seat_field: NUMBER for a in actors for m in a.members if m.seat_field}
        names |= {f"score_{a}": NUMBER for a in [*(a.id for a in actors), *self.broken_actors]}
        return names

    def compile(
        self, source: Any, loc: Loc, names: Mapping[str, ExprType], expect: ExprType
    ) -> Compiled | None:
        try:
            return compile_expr(source, names, expect)
        except ExprError as exc:
            self.problems.append(self.doc.problem(loc, str(exc), offset=exc.offset))
            return None

    def _outcomes(
        self, raw: dict[str, Any], names: dict[str, ExprType]
    ) -> list[tuple[str, Compiled]]:
        """Outcomes may use the state and the outcomes declared before them, but not the turn:
        an outcome is recomputed in every run of a batch whenever any run's event fires, so
        one that read the clock would depend on the other runs."""
        compiled: list[tuple[str, Compiled]] = []
        known = {n: t for n, t in names.items() if n != "turn"}
        for name, outcome in _section(raw, "outcomes").items():
            if isinstance(outcome, dict) and "expr" in outcome:
                fn = self.compile(outcome["expr"], ("outcomes", name, "expr"), known, NUMBER)
                if fn is not None:
                    compiled.append((name, fn))
            known[name] = NUMBER
        return compiled

    def _effects(
        self,
        effects: Any,
        loc: Loc,
        names: Mapping[str, ExprType],
        targets: Mapping[str, ExprType],
    ) -> list[tuple[str, Compiled]]:
        compiled: list[tuple[str, Compiled]] = []
        if not isinstance(effects, dict):
            return compiled
        for target, source in effects.items():
            if target not in targets:
                message = f"not a field an effect can change {expected_one_of(target, targets)}"
                self.problems.append(self.doc.problem((*loc, target), message, key=True))
                continue
            fn = self.compile(source, (*loc, target), names, targets[target])
            if fn is not None:
                compiled.append((target, fn))
        return compiled

    def _events(
        self,
        raw_events: Any,
        names: Mapping[str, ExprType],
        targets: Mapping[str, ExprType],
        actors: list[Profile],
        turns: Any,
    ) -> list[CompiledEvent]:
        if not isinstance(raw_events, list):
            return []
        last_turn = turns if isinstance(turns, int) else 10**6
        actor_ids = [a.id for a in actors]
        seen: dict[str, int] = {}
        events = []
        for i, raw_event in enumerate(raw_events):
            try:
                spec = _EVENT.validate_python(raw_event)
            except ValidationError:
                continue  # already reported by the whole-file validation
            loc = ("events", i)
            if spec.id in seen:
                self.problems.append(
                    self.doc.problem(
                        (*loc, "id"), f"event id {spec.id!r} is also used by event {seen[spec.id]}"
                    )
                )
            seen[spec.id] = i
            for where, actor in _actor_refs(spec):
                if actor not in actor_ids and actor not in self.broken_actors:
                    self.problems.append(
                        self.doc.problem(
                            (*loc, *where), f"unknown actor {expected_one_of(actor, actor_ids)}"
                        )
                    )
            option_ids = [o.id for o in spec.options]
            for key in ("status_quo", "refusal"):
                ref = getattr(spec, key, None)
                if ref is not None and ref not in option_ids:
                    self.problems.append(
                        self.doc.problem(
                            (*loc, key), f"unknown option {expected_one_of(ref, option_ids)}"
                        )
                    )
            if (
                isinstance(spec, VetoEvent | VoteEvent | CollectiveEvent)
                and spec.status_quo in option_ids
            ):
                j = option_ids.index(spec.status_quo)
                moved = [
                    t for t in spec.options[j].effects if t in _section(self.doc.data, "dimensions")
                ]
                if moved:
                    message = (
                        f"the status quo {spec.status_quo!r} changes {moved[0]!r}: keeping the "
                        "status quo changes no dimension (it may set facts), or actors near "
                        "their ideal would vote against what they want"
                    )
                    self.problems.append(
                        self.doc.problem(
                            (*loc, "options", j, "effects", moved[0]), message, key=True
                        )
                    )
            if isinstance(spec, VoteEvent) and spec.agenda is not None:
                self._check_agenda(spec, loc, names, actors)
            weighed: list[str] = []
            if isinstance(spec, CollectiveEvent):
                weighed = spec.members
            elif isinstance(spec, VoteEvent) and len(spec.voters) > 1:
                weighed = spec.voters
            for k, actor_id in enumerate(weighed):
                profile = next((a for a in actors if a.id == actor_id), None)
                if profile is not None and profile.capability is None:
                    field = "members" if spec.rule == "collective" else "voters"
                    message = (
                        f"{actor_id!r} weighs in this {spec.rule} decision but its profile "
                        "declares no 'capability'"
                    )
                    self.problems.append(self.doc.problem((*loc, field, k), message))
            if spec.rule in ("veto", "vote", "collective", "bargain") and len(spec.options) < 2:
                self.problems.append(
                    self.doc.problem(
                        (*loc, "options"), f"a {spec.rule} event needs at least two options"
                    )
                )
            first, last = (spec.turn, spec.turn) if spec.turn else (spec.turns or (1, last_turn))
            if last > last_turn:
                self.problems.append(
                    self.doc.problem(
                        (*loc, "turn" if spec.turn else "turns"),
                        f"the scenario has only {last_turn} turns (got {last})",
                    )
                )
            condition = probability = None
            if spec.condition is not None:
                condition = self.compile(spec.condition, (*loc, "condition"), names, BOOL)
            if spec.probability is not None:
                probability = self.compile(spec.probability, (*loc, "probability"), names, NUMBER)
            options = tuple(
                self._option(spec, (*loc, "options", j), o, names, targets)
                for j, o in enumerate(spec.options)
            )
            agenda = names.get(getattr(spec, "agenda", None) or "")
            events.append(
                CompiledEvent(
                    spec,
                    i,
                    first,
                    min(last, last_turn),
                    condition,
                    probability,
                    options,
                    agenda.labels if isinstance(agenda, FactType) else (),
                )
            )
        return events

    def _check_agenda(
        self, spec: VoteEvent, loc: Loc, names: Mapping[str, ExprType], actors: list[Profile]
    ) -> None:
        """A vote's agenda fact names, in every run, a party with blocs in the setter."""
        fact = names.get(spec.agenda or "")
        if not isinstance(fact, FactType):
            facts = [n for n, t in names.items() if isinstance(t, FactType)]
            message = f"unknown fact {expected_one_of(spec.agenda, facts)}"
            self.problems.append(self.doc.problem((*loc, "agenda"), message))
            return
        setter = next((a for a in actors if a.id == spec.setter), None)
        if setter is None:
            if spec.setter is None:
                self.problems.append(
                    self.doc.problem((*loc, "agenda"), "an agenda needs a 'setter' with blocs")
                )
            return
        parties = {m.party for m in setter.members if m.party}
        missing = [label for label in fact.labels if label not in parties]
        if missing:
            message = (
                f"{spec.setter!r} has no bloc of party {missing[0]!r}, which fact "
                f"{spec.agenda!r} can name (its blocs' parties: {sorted(parties) or 'none'})"
            )
            self.problems.append(self.doc.problem((*loc, "agenda"), message))

    def _option(
        self,
        spec: EventSpec,
        loc: Loc,
        option: Option,
        names: Mapping[str, ExprType],
        targets: Mapping[str, ExprType],
    ) -> CompiledOption:
        available = probability = None
        if option.available is not None:
            available = self.compile(option.available, (*loc, "available"), names, BOOL)
        if spec.rule == "chance":
            if option.probability is None:
                self.problems.append(
                    self.doc.problem(loc, "options of a chance event need a 'probability'")
                )
            else:
                probability = self.compile(option.probability, (*loc, "probability"), names, NUMBER)
        elif option.probability is not None:
            self.problems.append(
                self.doc.problem(
                    (*loc, "probability"),
                    "only chance events give options a probability "
                    f"(this event's rule is {spec.rule!r})",
                    key=True,
                )
            )
        effects = self._effects(option.effects, (*loc, "effects"), names, targets)
        dimensions = {
            d: t for d, t in targets.items() if d in _section(self.doc.data, "dimensions")
        }
        projected = self._effects(option.projected, (*loc, "projected"), names, dimensions)
        return CompiledOption(
            option.id,
            option.label,
            option.narrative,
            available,
            probability,
            tuple(effects),
            tuple(projected),
        )


_RESERVED = {"turn": "the turn number", "run": "the results' run index"}
_RESERVED_PREFIXES = {
    "score_": "actors' scores",
    "seats_": "blocs' seat shares",
    "input_": "sampled inputs in the results",
    "event_": "events' results",
}
_SECTIONS = (
    ("dimensions", "a dimension"),
    ("facts", "a fact"),
    ("parameters", "a parameter"),
    ("outcomes", "an outcome"),
)


def _name_clashes(doc: Document, raw: dict[str, Any], actors: list[Profile]) -> list[Problem]:
    """Names that would silently stand for two things.

    Dimensions, facts, parameters and outcomes are all state fields and results columns,
    beside the turn number, blocs' seat shares, scores, sampled inputs and event results:
    a name used twice would let one replace the other (a parameter overwriting a
    dimension's start, an outcome a fact) or break the results table after a whole batch.
    """
    problems = []
    seen: dict[str, str] = {}
    for section, what in _SECTIONS:
        for name in _section(raw, section):
            if not isinstance(name, str):
                continue
            prefix = next((p for p in _RESERVED_PREFIXES if name.startswith(p)), None)
            if name in _RESERVED:
                message = (
                    f"{name!r} is reserved: expressions and results use it for {_RESERVED[name]}"
                )
            elif prefix is not None:
                message = (
                    f"names starting with {prefix!r} are reserved for {_RESERVED_PREFIXES[prefix]} "
                    f"(got {name!r})"
                )
            elif keyword.iskeyword(name):
                message = f"{name!r} is a word of the expression language: choose another name"
            elif name in seen:
                message = (
                    f"{name!r} is already {seen[name]}: dimensions, facts, parameters and "
                    "outcomes need different names"
                )
            else:
                seen[name] = what
                continue
            problems.append(doc.problem((section, name), message, key=True))
    owners: dict[str, str] = {}
    for actor in actors:
        for member in actor.members:
            if member.seat_field is None:
                continue
            owner = owners.setdefault(member.seat_field, actor.id)
            if owner != actor.id:
                problems.append(
                    doc.problem(
                        ("actors",),
                        f"actors {owner!r} and {actor.id!r} both have a bloc {member.id!r}: "
                        "each bloc has its own seat share, so bloc ids must differ",
                    )
                )
    return problems


def _actor_path(scenario: Path, ref: str) -> tuple[Path | None, str]:
    """Where an actor file named in a scenario is, or why it cannot be used.

    A scenario may come from anyone: it may name files in its own folder (or below) and
    the bundled profiles, nothing else, so `../../.ssh/id_ed25519` is never opened.
    """
    try:
        folder = scenario.absolute().parent.resolve()
        path = (folder / ref).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        return None, f"cannot follow the path {ref!r}: a loop of symbolic links"
    if not (path.is_relative_to(folder) or path.is_relative_to(PROFILE_DIR.resolve())):
        return None, (
            f"actor file {ref!r} is outside the scenario's folder: a scenario may use files "
            f"in {str(folder)!r} (or below) and the bundled profiles only"
        )
    if not path.exists():
        return None, f"no actor file at {str(path)!r}"
    return path, ""


def _section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _actor_refs(spec: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for field in ("decider", "setter", "demander", "asked"):
        value = getattr(spec, field, None)
        if value is not None:
            yield (field,), value
    for field in ("vetoes", "voters", "members"):
        for k, value in enumerate(getattr(spec, field, None) or []):
            yield (field, k), value
