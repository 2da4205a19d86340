"""Two teams play to the debrief, which says how typical their game was among 10,000 AI games
of the same scenario; `w` browses every reason there, `r` writes the after-action report."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import play_to_the_end, screen_name, screen_text, settle
from wargame.engine.typicality import BASELINE_RUNS
from wargame.tui.app.app import WargameApp
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.history import HistoryScreen


async def test_two_teams_play_to_a_debrief_against_ten_thousand_ai_games(tmp_path: Path) -> None:
    save = tmp_path / "class.json"
    app = WargameApp(humans=("turkey", "eu"), seed=5, save_as=save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = await play_to_the_end(pilot)
        assert {"PassScreen", "DecisionScreen", "DebriefScreen"} <= set(seen)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        assert BASELINE_RUNS >= 10_000 and app.baseline is not None
        assert app.baseline.runs == BASELINE_RUNS
        typical = screen.typical()
        assert typical is not None and typical.runs == 10_000
        text = screen_text(app)
        assert "against 10,000 AI games played for this debrief" in text
        assert "Your Turkey scored" in text and "Your European Union scored" in text
        assert "percentile" in text and "Key branches" in text
        # every score and indicator has its percentile among the AI games
        names = {s.name for s in typical.overall}
        assert {"unity", "burden_sharing", "score_turkey", "score_eu"} <= names
        assert all(0 <= s.percentile <= 100 and s.runs == 10_000 for s in typical.overall)
        assert typical.branches and typical.branches[0].standings
        # the whole history is browsable from the debrief (the `w` that did nothing)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert len(app.screen.entries) == len(app.game.resolutions)
        await pilot.press("escape")
        await settle(pilot)
        # the after-action report, beside the save
        await pilot.press("r")
        await settle(pilot)
        html = save.with_suffix(".report.html").read_text()
        markdown = save.with_suffix(".report.md").read_text()
        for resolution in app.game.resolutions:
            title = app.game.scenario.event(resolution.event).spec.title
            assert title in markdown
        assert "10,000 AI games" in html
        assert any("report written" in n.message for n in app._notifications)


async def test_the_debrief_fits_80x24_and_scrolls_to_everything(tmp_path: Path) -> None:
    app = WargameApp(humans=("nato",), seed=2, save_as=tmp_path / "g.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await play_to_the_end(pilot)
        debrief = app.screen.query_one("#debrief")
        assert debrief.max_scroll_y > 0  # scrolls, rather than clipping
        await pilot.press("end")
        await settle(pilot)
        assert debrief.scroll_y == debrief.max_scroll_y
        assert "wargame play --replay" in screen_text(app)
        await pilot.press("q")
        await settle(pilot)
        assert screen_name(app) == "ConfirmScreen"


def test_the_debrief_timeline_shows_what_the_facilitator_did() -> None:
    """The report listed every facilitator action; the debrief on screen marked only the
    overrides: an injected event looked like any other, and the roll-back and every reason
    were missing."""
    from tests.games import facilitated_game
    from wargame.tui.app.debrief import timeline
    from wargame.tui.story import PLAIN

    game = facilitated_game()
    text = timeline(game, PLAIN).plain
    injected = next(d for d in game.decisions if d.kind == "inject")
    title = game.scenario.event(injected.event).spec.title
    assert any(title in line and line.endswith("(injected)") for line in text.splitlines())
    for reason in [
        "the class wanted to see the other result",
        "we had misread the rules of the turn",
        "a what-if from the instructor",
        "to show the class a rarer path",
    ]:
        assert f"reason: {reason}" in text
    assert f"rollback: back to the start of turn {game.journal[0].to_turn} (" in text
    assert "(undone by a later roll-back)" in text
