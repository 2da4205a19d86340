"""The `host` fixture: a `wargame host` process on loopback, stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.host.helpers import Host, free_port


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    running = Host(tmp_path, free_port())
    yield running
    running.stop()
