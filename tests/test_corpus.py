"""The adversarial corpus in tests/data/bad/: every file gets its expected message, in time,
without a traceback, and shows nothing it must not (see tests/data/bad/expected.yaml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli_harness import run_main
from tests.conftest import DATA
from wargame.engine.yamlio import read_yaml

BAD = DATA / "bad"
EXPECTED: dict[str, Any] = read_yaml(BAD / "expected.yaml").data
ENTRIES = {name: entry for name, entry in EXPECTED.items() if not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_each_adversarial_file_gets_its_message(name: str) -> None:
    entry = ENTRIES[name]
    command = entry.get("command", ["validate"])
    outcome = run_main([*command, str(BAD / name)], seconds=20)
    assert not outcome.problems(), (outcome.problems(), outcome.err[-2000:])
    assert outcome.code == entry["exit"], outcome.err
    assert entry["message"] in outcome.out + outcome.err, outcome.err
    for secret in entry.get("absent", []):
        assert secret not in outcome.out + outcome.err
    assert outcome.seconds < 10


def test_every_file_in_the_corpus_has_an_expectation() -> None:
    """A file added to the corpus without an expected message fails here, not silently."""
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*") if p.is_file()}
    listed = set(ENTRIES) | set(EXPECTED["_support"]) | {"expected.yaml"}
    assert files == listed


def test_a_few_entries_through_a_real_process(tmp_path: Path) -> None:
    """The installed command, as a shell runs it: same messages, same exit statuses."""
    wargame = [
        sys.executable,
        "-c",
        "import sys; from wargame.tui.cli import main; sys.exit(main())",
    ]
    for name in ["billion-laughs.yaml", "actor-is-a-key.yaml", "save-infinite-turn.json"]:
        entry = ENTRIES[name]
        command = entry.get("command", ["validate"])
        done = subprocess.run(
            [*wargame, *command, str(BAD / name)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == entry["exit"], done.stderr
        assert entry["message"] in done.stderr and "Traceback" not in done.stderr
