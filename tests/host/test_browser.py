"""A team that joins from a browser: a real `wargame host` with its browser page (textual-serve
running `wargame join --web` per visitor), opened in headless Chromium (Debian's package,
driven by Playwright through its executable path; no `playwright install`), beside another
team's and the facilitator's `wargame join` apps driven by Pilot.

textual-serve draws the terminal with xterm.js on a canvas (WebGL, else 2D canvas), so the
page has no text to read in its DOM. The test serves textual-serve's own `textual.js` with one
line added that keeps its xterm `Terminal` on `window`, and reads the screen from xterm's
buffer API (`buffer.active.getLine(i).translateToString()`), the characters a visitor sees.
Keys go to xterm's focused input (its helper textarea), as a visitor's typing does. The page
connects its terminal as it loads (textual-serve shows a Start button only with `?delay`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.host.helpers import Host, free_port
from wargame.engine.game import Game
from wargame.tui.app.board import BoardScreen
from wargame.tui.app.debrief import DebriefScreen
from wargame.tui.app.decision import DecisionScreen
from wargame.tui.app.dialogs import TextScreen
from wargame.tui.host.client import HostClient
from wargame.tui.host.join_app import JoinApp
from wargame.tui.host.protocol import Hello

try:
    from playwright import async_api
except ImportError:  # pragma: no cover - the test extra brings it
    async_api = None

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
without_playwright = pytest.mark.skipif(
    async_api is None, reason="playwright is not installed (pip install -e '.[test]')"
)
without_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does)",
)

TEAMS = ("eu", "turkey")
PIN = "1234"
VIEWPORT = {"width": 1280, "height": 800}
# textual-serve's textual.js (minified) creates its xterm Terminal, then opens it on the page
OPEN_TERMINAL = "this.terminal.open(e),"
SCREEN = """() => {
    const terminal = window.wargameTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active, lines = [];
    for (let row = 0; row < terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
}"""
ASKED = ("Press a number to choose.", "Number keys toggle what you accept")


async def keep_terminal(route: Any) -> None:
    """textual.js as served, keeping its terminal on `window` for the test to read."""
    response = await route.fetch()
    script = await response.text()
    if OPEN_TERMINAL not in script:
        pytest.fail(f"textual-serve's textual.js no longer has {OPEN_TERMINAL!r}: update the test")
    script = script.replace(OPEN_TERMINAL, OPEN_TERMINAL + "window.wargameTerminal=this.terminal,")
    await route.fulfill(response=response, body=script)


async def open_page(browser: Any, host: Host) -> Any:
    page = await browser.new_page(viewport=VIEWPORT)
    await page.route("**/static/js/textual.js", keep_terminal)
    # the page asks Google for its font: not on a classroom's LAN, nor in CI
    await page.route("https://fonts.googleapis.com/**", lambda route: route.abort())
    await page.goto(host.web_url)
    await wait_for_text(page, "Join the game at")
    # a visitor's click on the terminal focuses xterm's input; without the mouse event that
    # Textual would also receive
    await page.focus("textarea.xterm-helper-textarea")
    return page


async def screen(page: Any) -> str:
    return str(await page.evaluate(SCREEN))


async def wait_for_text(page: Any, text: str, timeout: float = 15_000) -> None:
    try:
        await page.wait_for_function(
            f"text => ({SCREEN})().includes(text)", arg=text, timeout=timeout
        )
    except async_api.TimeoutError:
        raise AssertionError(f"the page never showed {text!r}:\n{await screen(page)}") from None


async def type_line(page: Any, text: str) -> None:
    await page.keyboard.type(text)
    await page.keyboard.press("Enter")


async def enter_code(page: Any, code: str) -> None:
    """Type the code once the code field has the focus (Textual moves it there after the
    team's Enter, which a person's next keys never outrun but Playwright's can); the field
    shows a dot per character."""
    await asyncio.sleep(0.3)
    await page.keyboard.type(code)
    await wait_for_text(page, "•" * len(code))
    await page.keyboard.press("Enter")


def shots_folder(tmp_path: Path) -> Path:
    """Where screenshots go: $WARGAME_BROWSER_SHOTS (to look at them), else the test's tmp."""
    folder = Path(os.environ.get("WARGAME_BROWSER_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def turkey_decisions(facilitator: HostClient) -> int:
    snapshot = facilitator.snapshot
    assert snapshot is not None
    return sum(d.get("actor") == "turkey" for d in snapshot.decisions)


def test_the_page_sends_a_browser_back_to_the_address_it_used(tmp_path: Path) -> None:
    """The page's script, styles and websocket are named by the address in the browser's
    request, not the bound one: with `--bind 0.0.0.0` a classroom's browsers were sent to
    0.0.0.0, their own machine. (Loopback here; the Host header is what a LAN browser sends.)"""
    host = Host(tmp_path, free_port(), TEAMS, web_port=free_port())
    host.start()
    try:
        lan = f"192.0.2.7:{host.web_port}"
        request = urllib.request.Request(host.web_url, headers={"Host": lan})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
    finally:
        host.stop()
    assert f'data-session-websocket-url="ws://{lan}/ws"' in page
    assert f'<script src="http://{lan}/static/js/textual.js">' in page
    assert "127.0.0.1" not in page


@without_playwright
@without_chromium
async def test_a_team_plays_from_a_browser_to_the_debrief(tmp_path: Path) -> None:
    """Turkey in Chromium: a wrong code is refused with the reason, then its code joins; each
    decision the host sends it is answered by pressing 1 and Enter in the page, while the EU
    answers in its join app and the facilitator plays on with n in theirs. The game ends at
    the host, its save holds every one of Turkey's choices made in the browser and every one
    of the EU's made in its app, and every screen shows the debrief."""
    shots = shots_folder(tmp_path)
    host = Host(tmp_path, free_port(), TEAMS, web_port=free_port())
    host.start()
    others: list[HostClient] = []
    try:
        codes = host.codes()
        address = f"127.0.0.1:{host.port}"
        facilitator = HostClient(address, Hello(pin=PIN))  # watches the host's game
        others.append(facilitator)
        await facilitator.connect()
        eu_app = JoinApp(address, Hello(team="eu", code=codes["eu"]))
        chair_app = JoinApp(address, Hello(pin=PIN))
        async with (
            eu_app.run_test(size=(100, 32)) as eu,
            chair_app.run_test(size=(100, 32)) as chair,
            async_api.async_playwright() as playwright,
        ):
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = await open_page(browser, host)
            await page.screenshot(path=shots / "join.png")

            await type_line(page, "turkey")
            await enter_code(page, "WRONG")
            await wait_for_text(page, "wrong code for 'turkey'")
            await enter_code(page, codes["turkey"])  # the team is kept, the code asked again

            asked, board_shot = 0, False
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                shown = await screen(page)
                if "Debrief:" in shown:
                    break
                if "Role brief:" in shown:
                    await page.keyboard.press("Escape")  # the role brief shown on joining
                    await wait_gone(page, "Role brief:")
                    continue
                if any(hint in shown for hint in ASKED):
                    if asked == 0:
                        await wait_for_text(page, "Pick 1-9", timeout=5_000)  # the footer
                        await page.screenshot(path=shots / "turkey-decision.png")
                    before = turkey_decisions(facilitator)
                    await page.keyboard.press("1")
                    if ASKED[0] in shown:  # one option: picked, then confirmed
                        await wait_for_text(page, "Enter confirms your choice")
                    await page.keyboard.press("Enter")
                    asked += 1
                    await wait_until(lambda n=before: turkey_decisions(facilitator) > n)
                    continue
                if asked and not board_shot and "you: Turkey" in shown:
                    await page.screenshot(path=shots / "turkey-board.png")
                    board_shot = True
                await drive_the_apps(eu, chair, facilitator)
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"the page never showed the debrief:\n{await screen(page)}")
            await page.screenshot(path=shots / "debrief.png")
            shown = await screen(page)
            apps = (eu_app, chair_app)
            at_debrief = lambda: all(isinstance(a.screen, DebriefScreen) for a in apps)  # noqa: E731
            await wait_until(at_debrief, what="the join apps showed the debrief")
            apps_at_debrief = True
            await browser.close()
        saved = Game.load(host.save)
        assert saved.done
        title = saved.scenario.spec.title
        assert f"Debrief: {title}" in shown
        # every choice of Turkey's in the host's game was made in the browser
        assert asked == sum(d.actor == "turkey" for d in saved.decisions) >= 1
        assert sum(d.actor == "eu" for d in saved.decisions) >= 1
        assert apps_at_debrief
    finally:
        for client in others:
            await client.close()
        host.stop()


async def drive_the_apps(eu: Pilot[None], chair: Pilot[None], watch: HostClient) -> None:
    """The EU's join app answers with its first option (1, Enter); the facilitator's plays on
    (n) when no one is asked."""
    state = watch.snapshot
    assert state is not None
    if isinstance(eu.app.screen, TextScreen):
        await eu.press("escape")  # the EU's role brief, shown on joining
    elif isinstance(eu.app.screen, DecisionScreen):
        await eu.press("1", "enter")
    elif not state.waiting_for and not state.done and isinstance(chair.app.screen, BoardScreen):
        await chair.press("n")
    else:
        return
    await asyncio.sleep(0.1)


async def wait_until(
    condition: Any, seconds: float = 15, what: str = "the host recorded the browser's choice"
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.02)


async def wait_gone(page: Any, text: str) -> None:
    try:
        await page.wait_for_function(
            f"text => !({SCREEN})().includes(text)", arg=text, timeout=15_000
        )
    except async_api.TimeoutError:
        raise AssertionError(f"the page kept showing {text!r}:\n{await screen(page)}") from None
