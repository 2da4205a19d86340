"""Every quote in the bundled actors and scenarios is verbatim from the paper.

The paper's text is found through WARGAME_PAPER (a file, or a folder holding one .txt);
CI points it at ../shared/paper/. Without it the test skips and says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.scenario import bundled_actors, bundled_scenarios


def _paper_text() -> str | None:
    where = os.environ.get("WARGAME_PAPER")
    if not where:
        return None
    path = Path(where)
    if path.is_dir():
        texts = sorted(path.glob("*.txt"))
        path = texts[0] if texts else path
    return path.read_text(encoding="utf-8") if path.is_file() else None


def normalise(text: str) -> str:
    """Drop the text version's link and emphasis markup and unify quote marks and spaces."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("*", "").translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", text).strip()


def quotes(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and isinstance(value, str):
                yield where, value
            else:
                yield from quotes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quotes(value, f"{where}.{i}")


FILES = [*bundled_scenarios().values(), *bundled_actors().values()]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_quote_is_in_the_paper(path: Path) -> None:
    paper = _paper_text()
    if paper is None:
        pytest.skip(
            "set WARGAME_PAPER to the paper's text (a .txt file or its folder) to check quotes"
        )
    text = normalise(paper)
    found = list(quotes(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem))
    assert found, f"{path} has no quotes"
    missing = [(where, quote) for where, quote in found if normalise(quote) not in text]
    assert missing == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_number_has_a_citation(path: Path) -> None:
    """Each mapping holding a number (value, ideal, salience, initial) also cites its source."""
    numeric = {"value", "ideal", "salience", "initial"}

    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if numeric & node.keys() and not (node.get("quote") or node.get("reason")):
                yield where
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}.{i}")

    assert list(walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)) == []


@pytest.mark.parametrize("path", list(bundled_actors().values()), ids=lambda p: p.name)
def test_every_actor_number_has_a_range(path: Path) -> None:
    """Ideal points and saliences, capability and temperature all carry a low/high range for
    Monte Carlo and sensitivity analysis (a capability of exactly 0 needs none)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    members = [data, *data.get("blocs", {}).values()]
    for member in members:
        for dim, preference in member.get("preferences", {}).items():
            assert "ideal_range" in preference and "salience_range" in preference, dim
    for key in ("capability", "temperature"):
        assert "range" in data[key] or data[key]["value"] == 0, key
