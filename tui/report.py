"""The after-action report as Markdown or as one self-contained HTML page.

The HTML has its charts inline as SVG and no link to anything outside it: it opens from a USB
stick on a projector with no network, and prints (a print stylesheet drops the colours that
waste ink and keeps tables and events whole). Everything in either is escaped: a scenario's
text or a facilitator's reason never becomes markup, a link or a table's column.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from wargame.engine.afteraction import AfterAction, Entry, FacilitatorAction
from wargame.engine.errors import RuntimeFailure
from wargame.engine.files import os_reason
from wargame.engine.typicality import BINS, Standing
from wargame.tui.app.render import percentile_text
from wargame.tui.story import explanation

__all__ = ["render_html", "render_markdown", "write_report"]

_CHART_W, _CHART_H = 320, 120

# what Markdown (CommonMark and GitHub's tables) reads as markup anywhere in a line
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~!#])")
# what it reads as a list or a heading at the start of a list item's text
_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")


def _md(text: str) -> str:
    """Text from a save or a scenario as literal Markdown: a reason such as
    `<b>x</b> | [link](javascript:...)` reads as written, not as a tag, a link or a new
    table column."""
    escaped = _MARKUP.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def _md_code(text: str) -> str:
    """Text as a Markdown code span, fenced by more backticks than it holds in a row."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def _why(report: AfterAction, entry: Entry) -> list[str]:
    """Who decided and how, as the game's event card says it, then the teams' own choices
    with the effects the scenario states for them."""
    lines = []
    if entry.injected is not None:
        lines.append(f"injected by the facilitator: {entry.injected}")
    account = explanation(report.world, entry.resolution, closed=entry.closed)
    lines += account.plain.splitlines()
    for choice in entry.choices:
        stated = f" (stated effects: {'; '.join(choice.stated)})" if choice.stated else ""
        lines.append(f"team {choice.actor} ({choice.role}) chose: {choice.picked}{stated}")
    return lines


def _name(report: AfterAction, name: str) -> str:
    return (report.labels or {}).get(name, name)


def _standing_line(report: AfterAction, s: Standing) -> str:
    if s.runs == 0:
        return f"{_name(report, s.name)}: {s.value:.1f}; no comparable AI game"
    return (
        f"{_name(report, s.name)}: {s.value:.1f}; AI average {s.mean:.1f} "
        f"({percentile_text(s)} percentile of {s.runs:,})"
    )


def _in_branches(report: AfterAction, s: Standing) -> bool:
    """Within a branch, the report shows the outcomes and the teams' scores."""
    teams = {f"score_{a}" for a in report.team_ids}
    return s.name in report.outcomes or s.name in teams


def _facilitator_line(a: FacilitatorAction) -> str:
    what = f" {a.event}" if a.event else ""
    reason = a.reason or "(none given)"
    return f"turn {a.turn} ({a.date}): {a.kind}{what}, {a.detail}; reason: {reason}"


def render_markdown(report: AfterAction) -> str:
    """The report as Markdown; every text in it is escaped (`_md`)."""
    out = [f"# After-action report: {_md(report.title)}", ""]
    teams = ", ".join(report.teams) or "none (all AI)"
    state = "finished" if report.finished else "not finished"
    scenario = _md_code(report.scenario)
    out += [f"Scenario {scenario}, seed {report.seed}; teams: {_md(teams)}; {state}.", ""]
    out += ["## Final scores", "", "| rank | actor | score |", "| ---: | --- | ---: |"]
    out += [
        f"| {i} | {_md(name)} | {score:.1f} |" for i, (name, score) in enumerate(report.scores, 1)
    ]
    typical = report.typical
    if typical is not None:
        out += ["", f"## How typical was this game ({_md(typical.source)})", ""]
        out += [f"- {_md(_standing_line(report, s))}" for s in typical.overall]
        for branch in typical.branches:
            title = f"{branch.title}: {branch.label}"
            out += ["", f"### {_md(title)} ({branch.share:.0%} of the AI games)", ""]
            out += [
                f"- {_md(_standing_line(report, s))}"
                for s in branch.standings
                if _in_branches(report, s)
            ]
    out += ["", "## Timeline"]
    turn = None
    for entry in report.entries:
        if entry.turn != turn:
            turn = entry.turn
            out += ["", f"### Turn {turn}: {_md(entry.date)}", ""]
        out.append(f"- **{_md(entry.title)}**: {_md(entry.outcome)}")
        out += [f"  - {_md(line)}" for line in _why(report, entry)]
    out += ["", "## Facilitator actions", ""]
    out += [f"- {_md(_facilitator_line(a))}" for a in report.facilitator] or ["- none"]
    columns = len(next(iter(report.series.values()), []))
    out += ["", "## Indicators over the turns", ""]
    out.append("| indicator | " + " | ".join(f"T{t}" for t in range(columns)) + " |")
    out.append("| --- |" + " ---: |" * columns)
    for name, values in report.series.items():
        out.append(f"| {_md(name)} | " + " | ".join(f"{v:.1f}" for v in values) + " |")
    return "\n".join(out) + "\n"


def _line_chart(name: str, values: Sequence[float]) -> str:
    """An indicator over the turns on a 0..100 scale, as an inline SVG with its ends named."""
    w, h, left, pad = _CHART_W, _CHART_H, 26, 8
    step = (w - left - pad) / max(1, len(values) - 1)

    def y(v: float) -> float:
        return h - 2 * pad - (h - 3 * pad) * min(100.0, max(0.0, v)) / 100

    points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    last = f"{values[0]:.1f} → {values[-1]:.1f}" if values else "no turn played"
    axis = (
        f'<text x="2" y="{y(100) + 4:.0f}" class="tick">100</text>'
        f'<text x="2" y="{y(50) + 4:.0f}" class="tick">50</text>'
        f'<text x="2" y="{y(0) + 4:.0f}" class="tick">0</text>'
        f'<text x="{left}" y="{h - 2}" class="tick">start</text>'
        f'<text x="{w - pad}" y="{h - 2}" class="tick end">turn {max(0, len(values) - 1)}</text>'
    )
    return (
        f'<figure class="chart"><svg viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{html.escape(name)} over the turns">'
        f'<rect x="{left}" y="{y(100):.0f}" width="{w - left - pad}" height="{y(0) - y(100):.0f}"'
        ' class="frame"/>'
        f'<line x1="{left}" y1="{y(50):.0f}" x2="{w - pad}" y2="{y(50):.0f}" class="mid"/>'
        f'{axis}<polyline points="{points}" class="series"/></svg>'
        f"<figcaption>{html.escape(name)}: {last}</figcaption>"
        "</figure>"
    )


def _strip(s: Standing) -> str:
    """The AI games' distribution over 0..100 as a strip of cells, the game marked."""
    top = max(s.bins) or 1
    cell = _CHART_W / BINS
    cells = "".join(
        f'<rect x="{i * cell:.1f}" y="{20 - 18 * n / top:.1f}" width="{cell - 1:.1f}" '
        f'height="{18 * n / top:.1f}" class="bin"/>'
        for i, n in enumerate(s.bins)
    )
    x = min(100.0, max(0.0, s.value)) / 100 * _CHART_W
    marker = f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="24" class="marker"/>'
    return (
        f'<svg viewBox="0 0 {_CHART_W} 24" class="strip" role="img" '
        f'aria-label="AI games from 0 to 100, this game at {s.value:.1f}">{cells}{marker}</svg>'
    )


_STYLE = """
body { font: 18px/1.45 system-ui, sans-serif; max-width: 62rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; background: #fff; }
h1 { font-size: 1.8rem; } h2 { border-bottom: 2px solid #333; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
td, th { border: 1px solid #999; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; }
.event { margin: 0.6rem 0; } .event b { font-size: 1.05rem; }
.why { color: #333; font-size: 0.92rem; margin: 0.1rem 0 0 1rem; white-space: pre-wrap; }
.charts { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.chart { margin: 0; width: 20rem; } .chart svg { width: 100%; }
.frame { fill: #f6f6f6; stroke: #bbb; } .mid { stroke: #ccc; stroke-dasharray: 4 4; }
.series { fill: none; stroke: #1f5fa8; stroke-width: 3; }
.tick { font: 10px system-ui, sans-serif; fill: #555; } .tick.end { text-anchor: end; }
.strip { width: 16rem; height: 1.4rem; vertical-align: middle; }
.bin { fill: #9bb7d6; } .marker { stroke: #c0392b; stroke-width: 3; }
.facilitator td:nth-child(2) { font-weight: bold; }
@media print { body { font-size: 11pt; max-width: none; margin: 0; } .frame { fill: none; }
  h2 { break-after: avoid; } tr, .event, figure { break-inside: avoid; } }
"""


def _standings_table(report: AfterAction, rows: Sequence[Standing]) -> Iterator[str]:
    yield "<table><tr><th>indicator</th><th>this game</th><th>AI average</th>"
    yield "<th>percentile</th><th>AI games (this game in red)</th></tr>"
    for s in rows:
        mean = "-" if s.runs == 0 else f"{s.mean:.1f}"
        yield (
            f"<tr><td>{html.escape(_name(report, s.name))}</td><td class='num'>{s.value:.1f}</td>"
            f"<td class='num'>{mean}</td><td class='num'>{percentile_text(s)}</td>"
            f"<td>{_strip(s)}</td></tr>"
        )
    yield "</table>"


def _rows(report: AfterAction) -> Iterator[str]:
    esc = html.escape
    yield f"<h1>After-action report: {esc(report.title)}</h1>"
    teams = ", ".join(report.teams) or "none (all AI)"
    state = "finished" if report.finished else "not finished"
    yield (
        f"<p>Scenario <code>{esc(report.scenario)}</code>, seed {report.seed}; "
        f"teams: {esc(teams)}; {state}.</p>"
    )
    yield "<h2>Final scores</h2><table><tr><th>rank</th><th>actor</th><th>score</th></tr>"
    for i, (name, score) in enumerate(report.scores, start=1):
        yield f'<tr><td class="num">{i}</td><td>{esc(name)}</td>'
        yield f'<td class="num">{score:.1f}</td></tr>'
    yield "</table>"
    typical = report.typical
    if typical is not None:
        yield f"<h2>How typical was this game</h2><p>Against {esc(typical.source)}.</p>"
        yield from _standings_table(report, typical.overall)
        for branch in typical.branches:
            yield (
                f"<h3>{esc(branch.title)}: {esc(branch.label)}</h3><p>As in "
                f"{branch.share:.0%} of the AI games; among those games alone:</p>"
            )
            rows = [s for s in branch.standings if _in_branches(report, s)]
            yield from _standings_table(report, rows)
    yield "<h2>Timeline</h2>"
    turn = None
    for entry in report.entries:
        if entry.turn != turn:
            turn = entry.turn
            yield f"<h3>Turn {turn}: {esc(entry.date)}</h3>"
        yield f'<div class="event"><b>{esc(entry.title)}</b>: {esc(entry.outcome)}'
        for line in _why(report, entry):
            yield f'<div class="why">{esc(line)}</div>'
        yield "</div>"
    yield "<h2>Facilitator actions</h2>"
    if report.facilitator:
        yield "<table class='facilitator'><tr><th>turn</th><th>action</th><th>event</th>"
        yield "<th>what</th><th>reason</th></tr>"
        for a in report.facilitator:
            yield (
                f"<tr><td>{a.turn} ({esc(a.date)})</td><td>{esc(a.kind)}</td>"
                f"<td>{esc(a.event)}</td><td>{esc(a.detail)}</td>"
                f"<td>{esc(a.reason or '(none given)')}</td></tr>"
            )
        yield "</table>"
    else:
        yield "<p>None.</p>"
    yield "<h2>Indicators over the turns</h2><div class='charts'>"
    for name, values in report.series.items():
        yield _line_chart(name, values)
    yield "</div>"


def render_html(report: AfterAction) -> str:
    body = "\n".join(_rows(report))
    title = html.escape(f"After-action report: {report.title}")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


def write_report(report: AfterAction, path: Path, kind: str) -> Path:
    """Write the report as `kind` (html or md) to `path`, whole or not at all."""
    text = render_html(report) if kind == "html" else render_markdown(report)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RuntimeFailure(f"cannot write the report to {path}: {os_reason(exc)}") from None
    return path
