"""A Ctrl-C while `wargame` loads ends it like a Ctrl-C later: one line, exit 130."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from wargame.tui.launch import main


class _InterruptedImport:
    """A finder that is interrupted as the command line's module is imported."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "wargame.tui.cli":
            raise KeyboardInterrupt


def test_an_interrupt_while_loading_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "wargame.tui.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptedImport(), *sys.meta_path])
    assert main() == 130
    assert capsys.readouterr().err == "wargame: interrupted\n"


def test_the_command_is_launched_through_the_guard() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "wargame"]
    assert script.value == "wargame.tui.launch:main"
