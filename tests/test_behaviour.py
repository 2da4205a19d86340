"""The behaviour tally: every AI decision counted, and whether its clearly best option won."""

from __future__ import annotations

import numpy as np

from wargame.actors.agents import CLEAR_MARGIN
from wargame.engine.behaviour import BehaviourTally, DecisionPoint
from wargame.engine.chunks import tally_batch
from wargame.engine.sampling import Design
from wargame.engine.scenario import load_scenario


def test_a_tally_counts_choices_and_clear_best_options() -> None:
    tally = BehaviourTally()
    point = DecisionPoint("e", "decider", "a")
    utilities = np.array([[10.0, 10.0, 10.0, 10.0], [10.0 + CLEAR_MARGIN, 10.2, 9.0, 0.0]])
    allowed = np.array([[True, True, True, True], [True, True, True, False]])
    chosen = np.array([1, 0, 1, 0])
    tally.add(point, ("x", "y"), utilities, allowed, chosen, np.ones(4, dtype=bool))
    counts = tally.points[point]
    # the fourth run had one open option: nothing to decide, not counted
    assert counts.taken.tolist() == [1, 2]
    # runs 0 and 2 had a clear best (y, then x, by the margin); only run 0 took it
    assert (counts.clear, counts.clear_taken) == (2, 1)
    assert counts.clear_share == 0.5


def test_at_temperature_zero_every_clear_best_option_is_taken() -> None:
    scenario = load_scenario("madrid-2022")
    greedy = tally_batch(scenario, 500, 3, design=Design(scenario, temperature=0.0))
    assert greedy.points
    for point, tally in greedy:
        assert tally.clear_taken == tally.clear, point


def test_preferences_not_noise_decide_the_baseline() -> None:
    """At the profiles' temperatures, every AI decision whose best option is clearly best (by
    CLEAR_MARGIN) takes it in at least 70 % of cases (docs/decision-model.md)."""
    scenario = load_scenario("madrid-2022")
    tally = tally_batch(scenario, 4000, 5)
    checked = [(p, t.clear_share) for p, t in tally if t.clear >= 200]
    assert len(checked) >= 10
    assert [(p, s) for p, s in checked if s is not None and s < 0.7] == []
