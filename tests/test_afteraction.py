"""The after-action report: every event with who decided and why, every facilitator action
with its reason (those a roll-back undid too), and how typical the game was; in Markdown
and in one self-contained HTML page, from a save by `wargame report`."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.games import answer_last, facilitated_game
from wargame.engine.afteraction import after_action
from wargame.engine.game import Game, GameSetup
from wargame.engine.typicality import ai_games
from wargame.tui.cli import main
from wargame.tui.report import render_html, render_markdown


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Game:
    return facilitated_game(tmp_path_factory.mktemp("report") / "game.json")


def test_the_report_holds_every_event_and_every_facilitator_action(game: Game) -> None:
    report = after_action(game, ai_games(game.scenario, 2000))
    assert [(e.turn, e.event) for e in report.entries] == [
        (r.turn, r.event) for r in game.resolutions
    ]
    kinds = [(a.kind, a.reason) for a in report.facilitator]
    assert ("override", "the class wanted to see the other result") in kinds  # undone
    assert ("rollback", "we had misread the rules of the turn") in kinds
    assert ("inject", "a what-if from the instructor") in kinds
    assert ("override", "to show the class a rarer path") in kinds
    undone = next(a for a in report.facilitator if "undone" in a.detail)
    assert undone.kind == "override" and undone.event == "Finland and Sweden's accession"
    assert report.teams == ("Turkey", "European Union") and report.finished
    choices = [c for e in report.entries for c in e.choices]
    assert {c.actor for c in choices} == {"Turkey", "European Union"}
    for entry in report.entries:
        labels = {o.label for o in game.scenario.event(entry.event).options}
        for choice in entry.choices:  # the options' labels, not their ids
            assert choice.picked in labels or choice.picked.startswith("accepts ")
    injected = [e for e in report.entries if e.injected]
    assert [e.injected for e in injected] == ["a what-if from the instructor"]
    assert report.typical is not None and report.typical.runs == 2000
    assert {s.name for s in report.typical.overall} >= {"unity", "score_turkey"}


def test_markdown_and_html_name_every_event_and_reason(game: Game) -> None:
    report = after_action(game, ai_games(game.scenario, 1000))
    markdown, page = render_markdown(report), render_html(report)
    for entry in report.entries:
        assert entry.title in markdown and entry.outcome in markdown
    for action in report.facilitator:
        assert action.reason in markdown
        assert action.reason in page
    assert "How typical was this game" in markdown and "percentile" in page
    assert page.count("<svg") >= len(report.series)
    # self-contained: no link, script or fetch of anything outside the page
    assert not re.search(r"(src|href)=|<script|@import|url\(", page)


def test_a_reason_with_markup_is_shown_not_run(game: Game) -> None:
    hostile = "<script>alert(1)</script> & <b>bold</b>"
    report = after_action(game)
    report = replace(report, facilitator=(replace(report.facilitator[0], reason=hostile),))
    page = render_html(report)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "hostile",
    [
        "<b>x</b> | [link](javascript:alert(1))",
        "1. not a list *nor emphasis* `nor code` &amp; ![img](x) ~~no~~ \\*",
    ],
)
def test_markdown_shows_text_from_the_save_as_written(game: Game, hostile: str) -> None:
    """The Markdown report, rendered, reads the facilitator's reason literally: no tag, no
    link, no table column, no list (as the HTML report does)."""
    from markdown_it import MarkdownIt

    report = after_action(game)
    report = replace(report, facilitator=(replace(report.facilitator[0], reason=hostile),))
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    page = rendered.render(render_markdown(report))
    section = page.split("<h2>Facilitator actions</h2>")[1].split("<h2>")[0]
    assert re.fullmatch(r"\s*<ul>\s*<li>[^<]*</li>\s*</ul>\s*", section), section
    assert section.split("reason: ", 1)[1].split("</li>")[0] == html.escape(hostile, quote=False)


@pytest.mark.parametrize("line", ["1. a list", "2) a list", "- a list", "+ a list", "# a title"])
def test_markdown_does_not_start_a_list_or_a_title_from_a_line_of_text(line: str) -> None:
    """An event card's line becomes a list item's text: whatever it starts with, it stays text."""
    from markdown_it import MarkdownIt

    from wargame.tui.report import _md

    page = MarkdownIt("commonmark").render(f"- {_md(line)}")
    assert page == f"<ul>\n<li>{line}</li>\n</ul>\n"


def test_wargame_report_writes_markdown_or_html(
    game: Game, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save = game.save_path
    assert save is not None
    out = tmp_path / "report.html"
    assert main(["report", str(save), "--format", "html", "-o", str(out), "--runs", "500"]) == 0
    assert out.read_text().startswith("<!doctype html>")
    assert main(["report", str(save), "--runs", "500"]) == 0
    assert capsys.readouterr().out.startswith("# After-action report: After Madrid")
    assert main(["report", str(tmp_path / "nowhere.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_debrief_puts_several_tables_side_by_side_against_one_monte_carlo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`wargame debrief SAVE...`: a class of two tables, each with its values and percentiles
    among the same AI games, and each table's key branches."""
    first, second = tmp_path / "table1.json", tmp_path / "table2.json"
    one = facilitated_game(first)
    two = facilitated_game(second, seed=8)
    assert main(["debrief", str(first), str(second), "--runs", "2000"]) == 0
    out = capsys.readouterr().out
    assert "2 games against 2,000 AI games" in out
    assert "table 1" in out and "table 2" in out
    unity = next(line for line in out.splitlines() if line.startswith("Transatlantic unity"))
    for game in (one, two):
        assert f"{float(game.value('unity')):.1f}" in unity
    assert unity.count("%") == 2  # a percentile per table
    assert "table 1: The 2022 US midterm elections" in out
    assert "table 2: The 2022 US midterm elections" in out


def test_debrief_gives_an_unfinished_table_no_percentile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table stopped at turn 2 was ranked against the AI games' end-of-game values (the
    percentiles said 0 %): its values are shown, without a percentile or a mark."""
    finished, stopped = tmp_path / "table1.json", tmp_path / "table2.json"
    facilitated_game(finished)
    game = Game.start(GameSetup("madrid-2022", 8, ("turkey", "eu")), save_path=stopped)
    while game.turn < 2:
        game.advance()
        while game.pending is not None:
            answer_last(game)
            game.advance()
    game.autosave()
    assert main(["debrief", str(stopped), "--runs", "500"]) == 0
    assert ": 1 game against 500 AI games" in capsys.readouterr().out
    assert main(["debrief", str(finished), str(stopped), "--runs", "500"]) == 0
    out = capsys.readouterr().out
    assert "table 2: " in out and "not finished (turn 2): no percentiles" in out
    unity = next(line for line in out.splitlines() if line.startswith("Transatlantic unity"))
    assert unity.count("%") == 1 and " - " in unity
    assert "table 2: not finished" in out and "table 1: The 2022 US midterm elections" in out
