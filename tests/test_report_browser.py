"""The after-action report as a browser shows it: `wargame report --format html` opened in
headless Chromium (Debian's package; `.ci/run` installs it), the rendered page checked for
every event and every facilitator action of the game, and a screenshot taken."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.games import facilitated_game
from wargame.engine.afteraction import after_action
from wargame.tui.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does)",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Text(HTMLParser):
    """The text a reader sees: everything outside <style> and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def test_the_rendered_report_names_every_event_and_facilitator_action(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    game = facilitated_game(save)
    page = tmp_path / "report.html"
    assert main(["report", str(save), "--format", "html", "-o", str(page), "--runs", "10000"]) == 0
    url = page.resolve().as_uri()
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    reader = _Text()
    reader.feed(dom)
    shown = " ".join("".join(reader.parts).split())
    report = after_action(game)
    assert len(report.entries) == len(game.resolutions) > 30
    for entry in report.entries:
        assert f"{entry.title}: {entry.outcome}" in shown, entry.title
    assert len(report.facilitator) == 4
    for action in report.facilitator:
        assert action.reason in shown, action
        assert action.detail in shown, action
    assert "10,000 AI games" in shown and "How typical was this game" in shown
    assert dom.count("<svg") >= len(report.series)
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", url)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a page, not a blank
