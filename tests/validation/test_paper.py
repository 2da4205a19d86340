"""The baseline reproduces what the paper argues, from the actors' choices: one test per
claim, and for each the proof that it can fail, on a mutant that reverses its mechanism.

Every test reads a seeded Monte Carlo with every declared range sampled
(tests/validation/figures.py); `python -m tests.validation.figures` prints the figures.
"""

from __future__ import annotations

import pytest

from tests.test_citations import _paper_text, normalise
from tests.validation.claims import CLAIMS, Claim
from tests.validation.figures import figures_of
from tests.validation.mutants import MUTANTS
from wargame.engine.scenario import load_scenario

IDS = [c.name for c in CLAIMS]


@pytest.mark.parametrize("claim", CLAIMS, ids=IDS)
def test_the_baseline_reproduces_the_claim(claim: Claim) -> None:
    assert claim.check(figures_of("baseline")) == []


@pytest.mark.parametrize("claim", CLAIMS, ids=IDS)
def test_the_claim_fails_on_its_mutant(claim: Claim) -> None:
    """A claim test that passes on the mutant reversing its mechanism tests nothing."""
    assert claim.mutant in MUTANTS
    assert claim.check(figures_of(claim.mutant)) != [], f"{claim.name} holds on {claim.mutant}"


def test_every_mutant_breaks_a_claim() -> None:
    assert sorted(MUTANTS) == sorted(c.mutant for c in CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=IDS)
def test_each_claim_quotes_the_paper(claim: Claim) -> None:
    paper = _paper_text()
    if paper is None:
        pytest.skip("set WARGAME_PAPER to the paper's text to check quotes")
    assert normalise(claim.quote) in normalise(paper)


def test_every_event_happens_and_every_option_is_taken() -> None:
    """Every event is reachable: each fires in some run and each option is taken somewhere
    (the decks' rare branches included)."""
    figures = figures_of("baseline")
    scenario = load_scenario("madrid-2022")
    never = {e.id: sorted(set(e.option_ids) - figures.options_taken[e.id]) for e in scenario.events}
    assert {k: v for k, v in never.items() if v} == {}


def test_the_baseline_has_every_required_event() -> None:
    """DESIGN.md's required events are all in the baseline."""
    ids = {e.id for e in load_scenario("madrid-2022").events}
    required = {
        "midterms_2022",
        "election_2024",
        "pesco_access",
        "accession",
        "posture_choice",
        "dip_review",
        "ukraine_aid",
        "nato_resolution",
        "mobility_funding",
        "compass_delivery",
        "indo_pacific",
        "innovation_coordination",
    }
    assert required <= ids
