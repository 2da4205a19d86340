"""A summary's and a sensitivity analysis's numbers as CSV or JSON, for a paper or a notebook.

JSON keeps the structure (sections, branches, turns). A summary's CSV is one tidy table,
one number per row, that any tool reads and pivots:

    section,name,event,branch,turn,label,statistic,value
    number,unity,,,,,mean,61.93
    share,administration,,,,restraint,share,0.45
    breakdown,unity,election_2024,restraint,,,mean,48.2
    per_turn,unity,,,3,,p95,71.0

(`section` is number, share, breakdown or per_turn; empty fields do not apply.) Sobol
indices are one row per outcome and input. Numbers are written in full precision; a value
that does not exist (the interval of a single run) is empty in CSV and null in JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from wargame.engine.batch_summary import BatchSummary
from wargame.engine.compiled import Scenario
from wargame.tui.fan_view import turn_label

__all__ = ["FORMATS", "sensitivity_export", "summary_export"]

FORMATS = ("text", "csv", "json")
SUMMARY_COLUMNS = ("section", "name", "event", "branch", "turn", "label", "statistic", "value")
SOBOL_COLUMNS = ("outcome", "input", "kind", "basis", "ST", "ST_conf", "S1", "S1_conf")


def _finite(value: Any) -> Any:
    """NaN and infinities become None (JSON has no NaN; CSV gets an empty field)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _summary_document(report: BatchSummary, scenario: Scenario | None) -> dict[str, Any]:
    return {
        "title": report.title,
        "results": str(report.results),
        "scenario": scenario.id if scenario is not None else None,
        "numbers": [asdict(s) for s in report.numbers],
        "shares": [
            {
                "name": s.name,
                "n": s.n,
                "labels": [
                    {
                        "label": label,
                        "share": share,
                        "ci_low": s.interval(label)[0],
                        "ci_high": s.interval(label)[1],
                    }
                    for label, share in s.shares.items()
                ],
            }
            for s in report.labels
        ],
        "breakdowns": [
            {
                "event": b.event,
                "branches": [
                    {"branch": label, "runs": runs, "means": means}
                    for label, (runs, means) in b.rows.items()
                ],
            }
            for b in report.breakdowns
        ],
        "per_turn": [
            {
                "indicator": fan.indicator,
                "event": fan.event,
                "branch": fan.branch,
                "turns": [
                    {"half_year": turn_label(scenario, t.turn), **asdict(t)} for t in fan.turns
                ],
            }
            for fan_list in report.fans.values()
            for fan in fan_list
        ],
    }


def _summary_rows(report: BatchSummary) -> Iterator[dict[str, Any]]:
    for s in report.numbers:
        for statistic in ("n", "mean", "ci_low", "ci_high", "p5", "p50", "p95"):
            yield {
                "section": "number",
                "name": s.name,
                "statistic": statistic,
                "value": getattr(s, statistic),
            }
    for s in report.labels:
        for label, share in s.shares.items():
            low, high = s.interval(label)
            for statistic, value in (("share", share), ("ci_low", low), ("ci_high", high)):
                yield {
                    "section": "share",
                    "name": s.name,
                    "label": label,
                    "statistic": statistic,
                    "value": value,
                }
    for b in report.breakdowns:
        for label, (runs, means) in b.rows.items():
            yield {
                "section": "breakdown",
                "event": b.event,
                "branch": label,
                "statistic": "runs",
                "value": runs,
            }
            for outcome, mean in means.items():
                yield {
                    "section": "breakdown",
                    "name": outcome,
                    "event": b.event,
                    "branch": label,
                    "statistic": "mean",
                    "value": mean,
                }
    for fan_list in report.fans.values():
        for fan in fan_list:
            for t in fan.turns:
                for statistic in ("n", "mean", "sd", "p5", "p25", "p50", "p75", "p95"):
                    yield {
                        "section": "per_turn",
                        "name": fan.indicator,
                        "event": fan.event,
                        "branch": fan.branch,
                        "turn": t.turn,
                        "statistic": statistic,
                        "value": getattr(t, statistic),
                    }


def _csv(columns: Sequence[str], rows: Iterator[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in _finite(dict(row)).items()})
    return out.getvalue()


def _json(document: Any) -> str:
    return json.dumps(_finite(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def summary_export(report: BatchSummary, scenario: Scenario | None, fmt: str) -> str:
    """The summary as CSV (tidy rows, above) or JSON text."""
    if fmt == "csv":
        return _csv(SUMMARY_COLUMNS, _summary_rows(report))
    return _json(_summary_document(report, scenario))


def sensitivity_export(
    scenario: Scenario,
    results: Mapping[str, list[dict[str, Any]]],
    about: Mapping[str, Any],
    fmt: str,
) -> str:
    """Sobol indices per outcome, inputs ranked by total index, with each input's kind and
    basis (cited or assumed); `about` says how they were computed (samples, runs, seed)."""
    from wargame.engine.catalogue import catalogue

    numbers = {n.name: n for n in catalogue(scenario)}

    def rows() -> Iterator[dict[str, Any]]:
        for outcome, ranked in results.items():
            for row in ranked:
                number = numbers.get(row["input"])
                yield {
                    "outcome": outcome,
                    "input": row["input"],
                    "kind": number.kind if number else None,
                    "basis": number.basis if number else None,
                    **{k: row[k] for k in ("ST", "ST_conf", "S1", "S1_conf")},
                }

    if fmt == "csv":
        return _csv(SOBOL_COLUMNS, rows())
    constant = [outcome for outcome, ranked in results.items() if not ranked]
    document = {"scenario": scenario.id, **about, "indices": list(rows()), "constant": constant}
    return _json(document)
