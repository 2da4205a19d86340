"""Turning pydantic's validation errors into `file:line:col: path: message` problems.

Pydantic reports a location as a tuple of keys that may include a union's tag (the
`rule` of an event); the YAML document knows the line and column of each real key.
This module walks both together and words each error for a scenario author: the bad
value, the allowed values and a "did you mean" for near misses.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from engine.errors import Problem, expected_one_of
from engine.yamlio import Document

__all__ = ["pydantic_problems"]


def pydantic_problems(exc: ValidationError, doc: Document, root: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, located in `doc` and worded for people."""
    errors = exc.errors(include_url=False)
    unknown = {tuple(e["loc"][:-1]): [] for e in errors if e["type"] == "extra_forbidden"}
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
        else:
            message = error["msg"].removeprefix("Value error, ")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            problems.append(doc.problem(loc, f"{message[0].lower()}{message[1:]}{shown}"))
    return problems


def _data_loc(data: Any, loc: tuple) -> tuple:
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


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` (tags included)."""
    candidates: list[Any] = [root]
    for part in loc:
        following: list[Any] = []
        for tp in candidates:
            tp = _strip(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    following.append(tp.model_fields[part].annotation)
            elif get_origin(tp) in (list, tuple) and isinstance(part, int):
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
            return args[0]
    return None
