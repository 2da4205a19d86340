"""What a team sees before it decides: each option's changes as the engine then applies them,
and the options that exist but are closed, with the condition that closes them."""

from __future__ import annotations

import pytest

from wargame.engine.decisions import Decision, DecisionRequest
from wargame.engine.game import Game, GameSetup
from wargame.engine.preview import preview
from wargame.engine.scenario import load_scenario


def first_request(game: Game, event: str) -> DecisionRequest:
    """Play on, answering with the first open option, until `event` is asked."""
    while not game.done:
        game.advance()
        while game.pending is not None:
            request = game.pending
            if request.event == event:
                return request
            accepts = request.options if request.role == "veto" else None
            option = None if accepts else request.options[0]
            game.decide(
                Decision(
                    request.turn,
                    request.event,
                    actor=request.actor,
                    role=request.role,
                    option=option,
                    accepts=accepts,
                )
            )
            game.advance()
    raise AssertionError(f"{event} was never asked")


@pytest.mark.parametrize("pick", [0, 1])
def test_an_options_preview_is_what_the_engine_then_applies(pick: int) -> None:
    game = Game.start(GameSetup("madrid-2022", 1, ("eu",)))
    request = first_request(game, "mobility_funding")
    previews = [p for p in game.preview(request) if p.open]
    chosen = previews[pick]
    game.decide(Decision(request.turn, request.event, actor="eu", role="decider", option=chosen.id))
    game.advance()
    resolution = next(
        r for r in game.resolutions if (r.turn, r.event) == (request.turn, request.event)
    )
    assert resolution.option == chosen.id
    assert chosen.changes, "funding mobility changes something"
    for change in chosen.changes:
        assert resolution.changes[change.name] == pytest.approx((change.before, change.after))
    assert chosen.utility == pytest.approx(request.utilities[chosen.id])


def test_a_closed_option_says_which_condition_closes_it() -> None:
    game = Game.start(GameSetup("madrid-2022", 1, ("eu",)))
    request = first_request(game, "mobility_funding")
    by_id = {p.id: p for p in game.preview(request)}
    closed = by_id["air_defence"].closed
    assert closed is not None and not by_id["air_defence"].open
    assert closed.condition == "posture_decision == 'permanent'"
    assert closed.why == "open only when posture_decision == 'permanent'"
    assert all(by_id[o].open for o in request.options)


def test_turkeys_pesco_bid_shows_why_admission_is_not_on_the_table() -> None:
    """Turkey's role brief promises the PESCO demand; while Turkey does not meet the values
    conditions its admission is closed, and the card of the bid says so."""
    scenario = load_scenario("madrid-2022")
    game = Game.start(GameSetup("madrid-2022", 1, ()))
    request = DecisionRequest(1, "turkey_pesco_bid", "setter", "turkey", ("refused",))
    by_id = {p.id: p for p in preview(scenario, game.model.state, request)}
    assert by_id["admitted"].closed is not None
    assert by_id["admitted"].closed.condition == "turkey_conditions == 'met'"
    while not game.done:
        game.advance()
    bids = [r for r in game.resolutions if r.event == "turkey_pesco_bid"]
    assert bids, "the bid comes up in this game"
    for bid in bids:
        conditions = [c.condition for c in game.closed(bid)]
        met = any(r.event == "turkey_conditions" and r.turn <= bid.turn for r in game.resolutions)
        assert conditions == ([] if met else ["turkey_conditions == 'met'"])


def test_a_voter_sees_what_is_not_on_the_ballot() -> None:
    scenario = load_scenario("madrid-2022")
    game = Game.start(GameSetup("madrid-2022", 1, ()))
    request = DecisionRequest(
        1, "ukraine_aid", "voter", "us_congress", ("reduced_package", "fail"), "reduced_package"
    )
    by_id = {p.id: p for p in preview(scenario, game.model.state, request)}
    assert by_id["full_package"].closed is not None
    assert "open only when aid_request == 'large'" in by_id["full_package"].closed.why
    assert by_id["fail"].open and by_id["reduced_package"].open
