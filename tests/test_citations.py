"""Every quote in the bundled actors and scenarios is verbatim from the paper, and every number
quotes it or is a declared assumption with a range.

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

from wargame.actors.profiles import bundled_actors
from wargame.engine.catalogue import bare_numbers, catalogue, expression_sources, unread
from wargame.engine.scenario import bundled_scenarios, load_scenario


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
    """Drop the text version's link, escape and emphasis markup; unify quote marks and spaces."""
    text = re.sub(r"\[((?:[^\]\\]|\\.)*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\([()\[\]])", r"\1", text)
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


SCENARIOS = list(bundled_scenarios())


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_number_is_cited_or_a_declared_assumption(name: str) -> None:
    """Every number of the scenario and its actors quotes the paper or is the modeller's
    declared assumption; every assumption has a range for Monte Carlo to vary."""
    numbers = catalogue(load_scenario(name))
    assert numbers
    for number in numbers:
        assert number.quote or number.assumption, number.name
        if number.assumption:
            assert number.assumption.strip() and number.ranged, number.name
        else:
            assert number.quote, number.name


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_actor_number_is_varied(name: str) -> None:
    """Ideal points, saliences, capabilities and temperatures carry a range: the paper gives
    directions, not levels, so Monte Carlo and sensitivity analysis vary them."""
    for number in catalogue(load_scenario(name)):
        if number.kind in ("ideal", "salience", "capability", "temperature"):
            assert number.ranged, number.name


@pytest.mark.parametrize("name", SCENARIOS)
def test_expressions_write_no_bare_numbers(name: str) -> None:
    """Effects, outcome weights, drifts, probabilities and conditions name their numbers as
    parameters (cited or assumed); only the scales' ends (0, 1, 100) are written bare."""
    bare = [
        (where, bare_numbers(source))
        for where, source in expression_sources(load_scenario(name))
        if bare_numbers(source)
    ]
    assert bare == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_nothing_is_declared_that_nothing_reads(name: str) -> None:
    """No fact or parameter is dead weight: an expression or a rule reads each."""
    assert unread(load_scenario(name)) == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_vote_thresholds_are_rules_of_the_institution(name: str) -> None:
    """A vote's threshold is the institution's rule (a simple majority), not a modelling choice."""
    for event in load_scenario(name).events:
        if event.rule == "vote":
            assert event.spec.threshold == 0.5, event.id
