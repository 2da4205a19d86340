"""Turning pydantic's validation errors into `file:line:col: path: message` problems.

Pydantic reports a location as a tuple of keys that may include a union's tag (the
`rule` of an event); the YAML document knows the line and column of each real key.
This module walks both together and words each error for a scenario author: the bad
value, the allowed values and a "did you mean" for near misses. A value that fits
none of a union's members (an expression given as a list) is one problem, not one per
member; bad values are shown cut short, and a whole file's text never.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from wargame.engine.errors import Problem, expected_one_of, short_repr
from wargame.engine.yamlio import Document

__all__ = ["pydantic_problems"]


def pydantic_problems(exc: ValidationError, doc: Document, root: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, located in `doc` and worded for people."""
    errors = _merge_unions(exc.errors(include_url=False), doc.data)
    unknown: dict[tuple[Any, ...], list[Any]] = {
        tuple(e["loc"][:-1]): [] for e in errors if e["type"] == "extra_forbidden"
    }
    for e in errors:
        if e["type"] == "extra_forbidden":
            unknown[tuple(e["loc"][:-1])].append(str(e["loc"][-1]))
    problems = []
    for error in errors:
        raw_loc = tuple(error["loc"])
        loc = _data_loc(doc.data, raw_loc)
        kind = error["type"]
        got = error.get("input")
        ctx = error.get("ctx") or {}
        if kind == "extra_forbidden":
            model = _model_at(root, raw_loc[:-1])
            allowed = list(model.model_fields) if model else []
            message = f"unknown field {expected_one_of(str(raw_loc[-1]), allowed)}"
            problems.append(doc.problem(loc, message, key=True))
        elif kind == "missing":
            misspelt = unknown.get(raw_loc[:-1], [])
            if difflib.get_close_matches(str(raw_loc[-1]), misspelt, n=1, cutoff=0.6):
                continue  # the unknown field's "did you mean" already says it
            problems.append(
                doc.problem(loc[:-1], f"missing required field {raw_loc[-1]!r}", key=True)
            )
        elif kind == "union_tag_invalid":
            field = str(ctx.get("discriminator", "")).strip("'\"")
            allowed = _quoted_list(ctx.get("expected_tags", ""))
            problems.append(
                doc.problem(
                    (*loc, field), f"not allowed {expected_one_of(ctx.get('tag'), allowed)}"
                )
            )
        elif kind == "union_tag_not_found":
            field = str(ctx.get("discriminator", "")).strip("'\"")
            problems.append(doc.problem(loc, f"missing required field {field!r}", key=True))
        elif kind == "literal_error":
            allowed = _quoted_list(ctx.get("expected", ""))
            problems.append(doc.problem(loc, f"not allowed {expected_one_of(got, allowed)}"))
        elif not raw_loc:
            what = "an actor file" if root.__name__ == "ActorFile" else "a scenario file"
            problems.append(doc.problem(loc, f"{what} must be a mapping of fields ({_kind(got)})"))
        else:
            message = error["msg"].removeprefix("Value error, ")
            shown = "" if isinstance(got, dict | list) else f" (got {short_repr(got)})"
            problems.append(doc.problem(loc, f"{message[0].lower()}{message[1:]}{shown}"))
    return problems


_MISMATCH = {
    "string_type": "text",
    "int_type": "a number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
}


def _merge_unions(errors: list[Any], data: Any) -> list[Any]:
    """One error per value: a union's members' errors merged into the most telling one."""
    by_loc: dict[tuple[Any, ...], list[Any]] = {}
    for error in errors:
        loc = _without_members(data, tuple(error["loc"]))
        by_loc.setdefault(loc, []).append({**error, "loc": loc})
    merged = []
    for group in by_loc.values():
        if len(group) == 1 or any(e["type"] in ("extra_forbidden", "missing") for e in group):
            merged.extend(group)
            continue
        telling = [e for e in group if e["type"] not in _MISMATCH]
        if telling:
            merged.append(telling[0])
            continue
        wanted = list(dict.fromkeys(_MISMATCH[e["type"]] for e in group))
        expected = " or ".join(wanted)
        got = group[0].get("input")
        message = f"expected {expected} (got {short_repr(got)})"
        if isinstance(got, bool):
            message = f"expected {expected}; true and false are not expressions (got {got})"
        merged.append({**group[0], "type": "merged", "msg": message, "input": []})
    return merged


def _without_members(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """`loc` without the union-member labels ('str', 'constrained-float', ...) that pydantic
    adds after a value's own place."""
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif isinstance(node, dict) and node.get("rule") == part:
            continue  # a discriminated union's tag, dropped later by `_data_loc`
        elif isinstance(part, str) and _MEMBER_LABEL.match(part):
            return loc[:i]
        else:
            return loc
    return loc


_MEMBER_LABEL = re.compile(r"^(str|int|float|bool|constrained-\w+|function-\w+\[.*\])$")


def _kind(value: Any) -> str:
    """What a value is, in words, without repeating it (it may be a whole file's text)."""
    if isinstance(value, str):
        return f"got text of {len(value):,} characters"
    if isinstance(value, list):
        return f"got a list of {len(value):,} items"
    if value is None:
        return "got an empty file"
    return f"got a {type(value).__name__}"


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the parts of a pydantic location that are not keys in the data (union tags)."""
    out = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("rule") == part:
            continue  # a discriminated union's tag, not a key
        out.append(part)
        is_key = isinstance(node, dict) and part in node
        is_index = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        node = node[part] if is_key or is_index else None
    return tuple(out)


def _quoted_list(text: str) -> list[str]:
    """Pydantic's list of allowed values ("'a', 'b' or 'c'") as ['a', 'b', 'c']."""
    return [
        part.strip().strip("'\"") for part in text.replace(" or ", ", ").split(",") if part.strip()
    ]


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` (tags included)."""
    candidates: list[Any] = [root]
    for part in loc:
        following: list[Any] = []
        for tp in candidates:
            tp = _strip(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    following.append(tp.model_fields[part].annotation)
            elif get_origin(tp) in (list, tuple[Any, ...]) and isinstance(part, int):
                following.extend(get_args(tp)[:1])
            elif get_origin(tp) is dict:
                following.append(get_args(tp)[1])
            elif _is_union(tp):
                members = [_strip(m) for m in get_args(tp)]
                tagged = [m for m in members if _tag(m) == part]
                following.extend(tagged or [])
        candidates = following
    for tp in candidates:
        tp = _strip(tp)
        if _is_union(tp):
            models = [m for m in get_args(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
            if len(models) == 1:
                return models[0]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
    return None


def _strip(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _tag(model: Any) -> str | None:
    if isinstance(model, type) and issubclass(model, BaseModel) and "rule" in model.model_fields:
        args = get_args(model.model_fields["rule"].annotation)
        if get_origin(model.model_fields["rule"].annotation) is Literal and args:
            return str(args[0])
    return None
