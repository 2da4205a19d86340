"""`wargame behaviour`: who does what, and how often, in AI-played games of a scenario."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from rich.console import Console
from rich.table import Table

from wargame.actors.agents import CLEAR_MARGIN
from wargame.engine.behaviour import BehaviourTally, DecisionPoint, Tally
from wargame.engine.chunks import tally_batch
from wargame.engine.compiled import Scenario
from wargame.engine.scenario import load_scenario

__all__ = ["behaviour_command", "behaviour_rows"]


def _shares(tally: Tally | None) -> str:
    if tally is None or not tally.decisions:
        return "-"
    ranked = sorted(tally.shares().items(), key=lambda kv: -kv[1])
    return ", ".join(f"{label} {share:.0%}" for label, share in ranked if share > 0)


def behaviour_rows(
    scenario: Scenario, noisy: BehaviourTally, greedy: BehaviourTally
) -> list[dict[str, object]]:
    """One row per AI decision point, in the scenario's event order."""
    order = {e.id: i for i, e in enumerate(scenario.events)}
    points: set[DecisionPoint] = set(noisy.points) | set(greedy.points)
    rows = []
    for point in sorted(points, key=lambda p: (order[p.event], p)):
        tally, zero = noisy.points.get(point), greedy.points.get(point)
        rows.append(
            {
                "event": point.event,
                "role": point.role,
                "actor": point.actor,
                "subject": point.subject,
                "decisions": tally.decisions if tally else 0,
                "shares": tally.shares() if tally else {},
                "shares_at_zero": zero.shares() if zero else {},
                "clear": tally.clear if tally else 0,
                "clear_best_taken": tally.clear_share if tally else None,
                "_text": (_shares(tally), _shares(zero)),
            }
        )
    return rows


def behaviour_command(args: argparse.Namespace) -> int:
    from wargame.tui.batch_commands import check_grid, design_from_args, progress_bar

    scenario = load_scenario(args.scenario)
    design = design_from_args(scenario, args, args.runs)
    note = check_grid(design, args.runs)
    if note is not None:
        print(note, file=sys.stderr)
    with progress_bar(f"{scenario.id} behaviour", 2 * args.runs, args.quiet) as advance:
        noisy = tally_batch(scenario, args.runs, args.seed, design=design, on_chunk=advance)
        greedy = tally_batch(
            scenario,
            args.runs,
            args.seed,
            design=dataclasses.replace(design, temperature=0.0),
            on_chunk=advance,
        )
    rows = behaviour_rows(scenario, noisy, greedy)
    if args.format == "json":
        print(json.dumps([{k: v for k, v in r.items() if k != "_text"} for r in rows], indent=1))
        return 0
    at = "the profiles' temperatures" if args.temperature is None else f"T = {args.temperature:g}"
    table = Table(
        title=f"{scenario.spec.title}: every AI decision in {args.runs:,} runs, seed {args.seed}",
        caption=(
            f"shares at {at}, and with every temperature 0; 'clear' counts decisions whose best "
            f"option beat the next by at least {CLEAR_MARGIN:g} score points, and how often the "
            "actor took it"
        ),
        title_justify="left",
        caption_justify="left",
    )
    for column in ("who", "decisions", "chose", "at T = 0", "clear: best taken"):
        table.add_column(column, justify="right" if column == "decisions" else "left")
    titles = {e.id: e.spec.title for e in scenario.events}
    event = None
    for row in rows:
        if row["event"] != event:
            event = row["event"]
            table.add_section()
            table.add_row(f"[bold]{titles[str(event)]}[/bold] ({event})")
        who = f"{row['actor']} {row['role']}{': ' + str(row['subject']) if row['subject'] else ''}"
        share = row["clear_best_taken"]
        clear = "-" if share is None else f"{share:.0%} of {row['clear']:,}"
        noisy_text, zero_text = row["_text"]  # type: ignore[misc]
        table.add_row(who, f"{row['decisions']:,}", noisy_text, zero_text, clear)
    Console().print(table)
    return 0
