"""The hosted game's rules, in one process: who may do what, and what each team may see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.host.helpers import first_choice, play_until
from wargame.engine.errors import DecisionError, UsageError
from wargame.engine.game import Game, GameSetup
from wargame.tui.host.access import Access
from wargame.tui.host.client import local_game
from wargame.tui.host.protocol import Advance, Decide, Facilitate, Hello
from wargame.tui.host.session import Client, HostedGame

TEAMS = ("nato", "eu", "us_congress", "turkey")


@pytest.fixture
def hosted(tmp_path: Path) -> HostedGame:
    game = Game.start(GameSetup("madrid-2022", 11, TEAMS), save_path=tmp_path / "g.json")
    return HostedGame(game, Access.new(TEAMS, "1234"))


def choose_first(hosted: HostedGame) -> Decide:
    p = hosted.game.pending
    assert p is not None
    return first_choice(p.turn, p.event, p.actor, p.role, p.options)


def test_codes_and_the_pin_decide_who_joins(hosted: HostedGame) -> None:
    code = hosted.access.codes["eu"]
    assert hosted.join(Hello(team="eu", code=code.lower())) == Client("team", "eu")
    with pytest.raises(UsageError, match="wrong code for 'eu'"):
        hosted.join(Hello(team="eu", code=hosted.access.codes["nato"]))
    with pytest.raises(UsageError, match="wrong facilitator PIN"):
        hosted.join(Hello(pin="0000"))
    assert hosted.join(Hello(pin="1234")).role == "facilitator"


def test_a_team_decides_only_its_own_pending_request(hosted: HostedGame) -> None:
    play_until(hosted, lambda h: h.game.pending is not None)
    p = hosted.game.pending
    other = next(t for t in TEAMS if t != p.actor)
    decide = choose_first(hosted)
    with pytest.raises(UsageError, match=f"you play {other}"):
        hosted.handle(Client("team", other), decide)
    with pytest.raises(UsageError, match="only the facilitator"):
        hosted.handle(Client("team", p.actor), Advance())
    with pytest.raises(DecisionError, match=f"waiting for {p.actor}"):
        hosted.handle(Client("facilitator"), Advance())
    before = hosted.version
    assert hosted.handle(Client("team", p.actor), decide) == "decide"
    assert hosted.version == before + 1
    assert any(d.actor == p.actor for d in Game.load(hosted.game.save_path).decisions)


def test_a_team_never_sees_another_teams_pending_choice(hosted: HostedGame) -> None:
    """NATO sets the agenda on innovation tools after the EU's vetoes: until the event
    resolves, NATO's snapshot leaves the EU's choice out, and NATO's request does not say
    what the EU accepted."""

    def eu_decided_nato_asked(h: HostedGame) -> bool:
        p = h.game.pending
        return (
            p is not None
            and p.event == "innovation_coordination"
            and p.actor == "nato"
            and any(
                d.actor == "eu" and d.event == p.event and d.turn == p.turn
                for d in h.game.decisions
            )
        )

    play_until(hosted, eu_decided_nato_asked)
    p = hosted.game.pending
    nato = hosted.snapshot(Client("team", "nato"))
    eu_choice = [d for d in hosted.game.decisions if d.actor == "eu" and d.event == p.event]
    assert eu_choice
    assert not any(
        d["actor"] == "eu" and d["event"] == p.event and d["turn"] == p.turn for d in nato.decisions
    )
    assert nato.request is not None and set(nato.request["options"]) == set(p.options)
    assert hosted.snapshot(Client("team", "turkey")).request is None
    assert hosted.snapshot(Client("team", "turkey")).waiting_for == ["nato"]
    # the facilitator sees everything; after the event resolves, so does every team
    assert any(d["actor"] == "eu" for d in hosted.snapshot(Client("facilitator")).decisions)
    hosted.handle(Client("team", "nato"), choose_first(hosted))
    turkey = hosted.snapshot(Client("team", "turkey"))
    assert any(
        d["actor"] == "eu" and d["event"] == p.event and d["turn"] == p.turn
        for d in turkey.decisions
    )


def test_a_client_rebuilds_the_hosts_game_from_its_snapshot(hosted: HostedGame) -> None:
    play_until(hosted, lambda h: h.game.turn == 4)
    for client in (Client("facilitator"), Client("team", "turkey")):
        welcome, snapshot = hosted.welcome(client), hosted.snapshot(client)
        game = local_game(welcome, snapshot)
        assert (game.turn, game.model.cursor) == (hosted.game.turn, hosted.game.model.cursor)
        assert [r.to_dict() for r in game.resolutions] == [
            r.to_dict() for r in hosted.game.resolutions
        ]


def test_the_facilitators_controls_need_reasons(hosted: HostedGame) -> None:
    facilitator = Client("facilitator")
    play_until(hosted, lambda h: h.game.turn == 2 and h.game.pending is None)
    with pytest.raises(DecisionError, match="needs a reason"):
        hosted.handle(facilitator, Facilitate(action="rollback"))
    hosted.handle(facilitator, Facilitate(action="rollback", reason="the class wants another go"))
    assert hosted.game.turn == 1 and hosted.game.journal[-1].reason == "the class wants another go"
    hosted.handle(facilitator, Facilitate(action="pause"))
    with pytest.raises(DecisionError, match="paused"):
        hosted.handle(facilitator, Advance())
