"""`wargame scenarios` and `wargame new`: where a scenario author starts.

`scenarios` lists the bundled scenarios, to play or to copy from. `new NAME` writes a small,
valid, playable scenario with a comment on every part, whose first line points an editor's
YAML language server at the JSON Schema installed with the package.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import textwrap
from importlib import resources
from pathlib import Path

from wargame.engine.errors import RuntimeFailure, UsageError, short_repr
from wargame.engine.files import os_reason
from wargame.engine.jsonschema import schema_path
from wargame.engine.scenario import bundled_scenarios, load_scenario
from wargame.tui.paths import output_file
from wargame.tui.terminal import terminal_safe

__all__ = ["new_command", "scenarios_command", "starter_text"]

_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")


def scenarios_command(args: argparse.Namespace) -> int:
    """Each bundled scenario: id, title, period, actors, what it is about, and its file."""
    rows = []
    for name, path in bundled_scenarios().items():
        scenario = load_scenario(path)
        rows.append(
            {
                "id": name,
                "title": scenario.spec.title,
                "turns": scenario.turns,
                "from": scenario.date(1),
                "to": scenario.date(scenario.turns),
                "actors": [a.id for a in scenario.actors],
                "events": len(scenario.events),
                "description": scenario.spec.description,
                "file": str(path),
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    for row in rows:
        print(terminal_safe(f"{row['id']}: {row['title']}"))
        facts = (
            f"{row['turns']} half-year turns, {row['from']} to {row['to']}; "
            f"{row['events']} events; actors: {', '.join(row['actors'])}"
        )
        for text in (facts, row["description"], f"file: {row['file']}"):
            wrapped = textwrap.fill(text, 78, initial_indent="    ", subsequent_indent="    ")
            print(terminal_safe(wrapped))
        print()
    print(
        textwrap.fill(
            "Play one with `wargame play ID`; copy its file to start from it, or write a new "
            "one with `wargame new NAME` (docs/authoring.md).",
            78,
        )
    )
    return 0


def starter_text(scenario_id: str, file_name: str) -> str:
    """The starter scenario, named `scenario_id`, its comments naming `file_name`."""
    template = resources.files("wargame.tui").joinpath("templates/scenario.yaml")
    text = template.read_text(encoding="utf-8")
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    replacements = {
        "@SCHEMA@": str(schema_path("scenario")),
        "@ID@": scenario_id,
        "@TITLE@": title,
        "@FILE@": file_name,
    }
    for token, value in replacements.items():
        text = text.replace(token, value)
    return text


def new_command(args: argparse.Namespace) -> int:
    """Write the starter scenario to NAME (`.yaml` added when it has no YAML suffix)."""
    path = Path(args.name)
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    scenario_id = path.stem
    if not _ID.fullmatch(scenario_id):
        raise UsageError(
            f"new: a scenario's id (its file name) is lower-case letters, digits, '-' and '_', "
            f"starting with a letter (got {short_repr(scenario_id)}; try "
            f"{short_repr(_suggest(scenario_id))})"
        )
    output_file(path, "new")
    if path.exists() and not args.force:
        raise UsageError(f"new: {path} already exists (add --force to replace it)")
    text = starter_text(scenario_id, path.name)
    try:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise RuntimeFailure(f"cannot write {path}: {os_reason(exc)}") from None
    print(
        terminal_safe(
            f"wrote {path}: a scenario of 3 events on Türkiye's PESCO bid. Next: "
            f"`wargame validate {path}`, `wargame behaviour {path}`, `wargame play {path}`; "
            "docs/authoring.md builds one step by step."
        )
    )
    return 0


def _suggest(name: str) -> str:
    """A valid id close to what was typed."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"scenario-{cleaned}".rstrip("-")
    return cleaned[:64]
