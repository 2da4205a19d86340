"""`wargame assumptions`: which of a scenario's numbers are the modeller's, and why."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from itertools import groupby

from rich.console import Console
from rich.table import Table

from wargame.engine.catalogue import bare_numbers, catalogue, expression_sources, unread
from wargame.engine.scenario import load_scenario

__all__ = ["assumptions_command"]


def assumptions_command(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    numbers = catalogue(scenario)
    assumed = [n for n in numbers if n.basis == "assumed"]
    if args.format == "json":
        print(json.dumps([asdict(n) | {"basis": n.basis} for n in numbers], indent=1))
        return 0
    console = Console()
    console.print(
        f"{scenario.spec.title} ({scenario.id}): {len(numbers)} numbers, "
        f"{len(numbers) - len(assumed)} cited from the paper, {len(assumed)} the modeller's "
        "assumptions. Monte Carlo (--sample) and `wargame sensitivity` vary every range; "
        "a quote gives an assumption's direction where the paper gives one.",
        highlight=False,
    )
    for owner, group in groupby(assumed, key=lambda n: n.owner):
        table = Table(title=f"assumed by the modeller: {owner}", title_justify="left")
        for column in ("input", "value", "range", "why"):
            table.add_column(column, justify="right" if column in ("value", "range") else "left")
        for n in group:
            table.add_row(n.name, f"{n.value:g}", f"{n.low:g}-{n.high:g}", n.assumption or "")
        console.print(table)
    warnings = [
        f"{where}: bare number{'s' if len(found) > 1 else ''} {', '.join(f'{x:g}' for x in found)}"
        " (name it as a parameter, cited or assumed)"
        for where, source in expression_sources(scenario)
        if (found := bare_numbers(source))
    ]
    warnings += [f"{name}: declared but never read" for name in unread(scenario)]
    for warning in warnings:
        console.print(f"[yellow]note[/yellow]: {warning}", highlight=False)
    return 0
