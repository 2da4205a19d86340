"""The after-action report as Markdown or as one self-contained HTML page.

The HTML has its charts inline as SVG and no link to anything outside it: it opens from a USB
stick on a projector with no network, and prints (a print stylesheet drops the colours that
waste ink and keeps tables whole).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence

from wargame.engine.afteraction import AfterAction, Entry
from wargame.engine.typicality import BINS, Standing

__all__ = ["render_html", "render_markdown"]

_CHART_W, _CHART_H = 320, 120


def _odds(entry: Entry) -> str:
    r = entry.resolution
    parts = []
    if r.probabilities:
        parts.append("odds " + ", ".join(f"{o} {p:.0%}" for o, p in r.probabilities.items()))
    if r.draws:
        parts.append("draws " + ", ".join(f"{s} {d:.3f}" for s, d in r.draws.items()))
    return "; ".join(parts)


def _why(entry: Entry) -> list[str]:
    """Who decided and how: the lines under an event in the timeline."""
    r = entry.resolution
    lines = [f"rule {entry.rule} ({', '.join(entry.deciders) or 'nature'}); source: {r.source}"]
    if _odds(entry):
        lines.append(_odds(entry))
    for player, accepts in r.accepts.items():
        vetoed = [o for o, ok in accepts.items() if not ok]
        lines.append(f"{player} vetoes {', '.join(vetoed) or 'nothing'}")
    for member, vote in r.votes.items():
        if "yes" in vote:
            lines.append(f"{member} votes {'yes' if vote['yes'] else 'no'} ({vote['weight']:.2f})")
    lines += r.notes
    for d in entry.choices:
        picked = d.option or ", ".join(d.accepts or ()) or "nothing"
        lines.append(f"team {d.actor} ({d.role}) chose {picked}")
    if entry.changes:
        lines.append(
            "changed: " + ", ".join(f"{n} {a} → {b}" for n, (a, b) in entry.changes.items())
        )
    return lines


def _standing_line(s: Standing) -> str:
    return (
        f"{s.name}: {s.value:.1f}; AI average {s.mean:.1f} "
        f"({s.percentile:.0f}th percentile of {s.runs:,} {s.among})"
    )


def render_markdown(report: AfterAction) -> str:
    out = [f"# After-action report: {report.title}", ""]
    teams = ", ".join(report.humans) or "none (all AI)"
    out += [f"Scenario `{report.scenario}`, seed {report.seed}; teams: {teams}.", ""]
    out += ["## Final scores", "", "| rank | actor | score |", "| ---: | --- | ---: |"]
    out += [
        f"| {i} | {name} | {score:.1f} |"
        for i, (_, name, score) in enumerate(report.scores, start=1)
    ]
    if report.standings:
        out += ["", f"## How typical was this game ({report.ai_runs:,} AI-played games)", ""]
        out += [f"- {_standing_line(s)}" for s in report.standings]
    out += ["", "## Timeline", ""]
    turn = None
    for entry in report.entries:
        if entry.turn != turn:
            turn = entry.turn
            out += ["", f"### Turn {turn}: {entry.date}", ""]
        out.append(f"- **{entry.title}**: {entry.outcome}")
        out += [f"  - {line}" for line in _why(entry)]
    out += ["", "## Facilitator actions", ""]
    out += [
        f"- turn {a.turn}: {a.kind}{' ' + a.event if a.event else ''}, {a.detail}; "
        f"reason: {a.reason or '(none given)'}"
        for a in report.facilitator
    ] or ["- none"]
    out += [
        "",
        "## Indicators over the turns",
        "",
        "| indicator | "
        + " | ".join(f"T{t}" for t in range(len(next(iter(report.series.values())))))
        + " |",
    ]
    out.append("| --- |" + " ---: |" * len(next(iter(report.series.values()))))
    for name, values in report.series.items():
        out.append(f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + " |")
    return "\n".join(out) + "\n"


def _line_chart(name: str, values: Sequence[float]) -> str:
    """An indicator over the turns, 0..100, as an inline SVG."""
    w, h, pad = _CHART_W, _CHART_H, 6
    step = (w - 2 * pad) / max(1, len(values) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{h - pad - (h - 2 * pad) * min(100.0, max(0.0, v)) / 100:.1f}"
        for i, v in enumerate(values)
    )
    return (
        f'<figure class="chart"><svg viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{html.escape(name)} over the turns">'
        f'<rect x="0" y="0" width="{w}" height="{h}" class="frame"/>'
        f'<line x1="{pad}" y1="{h / 2}" x2="{w - pad}" y2="{h / 2}" class="mid"/>'
        f'<polyline points="{points}" class="series"/></svg>'
        f"<figcaption>{html.escape(name)}: {values[0]:.1f} → {values[-1]:.1f}</figcaption>"
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
    x = s.value / 100 * _CHART_W
    marker = f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="24" class="marker"/>'
    return f'<svg viewBox="0 0 {_CHART_W} 24" class="strip">{cells}{marker}</svg>'


_STYLE = """
body { font: 18px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; }
h1 { font-size: 1.8rem; } h2 { border-bottom: 2px solid #333; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
td, th { border: 1px solid #999; padding: 0.2rem 0.6rem; text-align: left; }
td.num { text-align: right; }
.event { margin: 0.6rem 0; } .event b { font-size: 1.05rem; }
.why { color: #333; font-size: 0.92rem; margin: 0.1rem 0 0 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.chart { margin: 0; width: 20rem; } .chart svg { width: 100%; }
.frame { fill: #f6f6f6; stroke: #bbb; } .mid { stroke: #ccc; stroke-dasharray: 4 4; }
.series { fill: none; stroke: #1f5fa8; stroke-width: 3; }
.strip { width: 20rem; height: 1.5rem; vertical-align: middle; }
.bin { fill: #9bb7d6; } .marker { stroke: #c0392b; stroke-width: 3; }
@media print { body { font-size: 12pt; max-width: none; } .frame { fill: none; }
  tr, .event, figure { break-inside: avoid; } }
"""


def _rows(report: AfterAction) -> Iterator[str]:
    yield f"<h1>After-action report: {html.escape(report.title)}</h1>"
    teams = ", ".join(report.humans) or "none (all AI)"
    yield (
        f"<p>Scenario <code>{html.escape(report.scenario)}</code>, seed {report.seed}; "
        f"teams: {html.escape(teams)}.</p>"
    )
    yield "<h2>Final scores</h2><table><tr><th>rank</th><th>actor</th><th>score</th></tr>"
    for i, (_, name, score) in enumerate(report.scores, start=1):
        yield f'<tr><td class="num">{i}</td><td>{html.escape(name)}</td>'
        yield f'<td class="num">{score:.1f}</td></tr>'
    yield "</table>"
    if report.standings:
        yield f"<h2>How typical was this game ({report.ai_runs:,} AI-played games)</h2>"
        yield "<table><tr><th>indicator</th><th>this game</th><th>AI average</th>"
        yield "<th>percentile</th><th>AI games (the game in red)</th><th>among</th></tr>"
        for s in report.standings:
            yield (
                f"<tr><td>{html.escape(s.name)}</td><td class='num'>{s.value:.1f}</td>"
                f"<td class='num'>{s.mean:.1f}</td><td class='num'>{s.percentile:.0f}</td>"
                f"<td>{_strip(s)}</td><td>{html.escape(s.among)}</td></tr>"
            )
        yield "</table>"
    yield "<h2>Timeline</h2>"
    turn = None
    for entry in report.entries:
        if entry.turn != turn:
            turn = entry.turn
            yield f"<h3>Turn {turn}: {html.escape(entry.date)}</h3>"
        yield (
            f'<div class="event"><b>{html.escape(entry.title)}</b>: {html.escape(entry.outcome)}'
        )
        for line in _why(entry):
            yield f'<div class="why">{html.escape(line)}</div>'
        yield "</div>"
    yield "<h2>Facilitator actions</h2>"
    if report.facilitator:
        yield "<table><tr><th>turn</th><th>action</th><th>event</th><th>what</th>"
        yield "<th>reason</th></tr>"
        for a in report.facilitator:
            yield (
                f"<tr><td class='num'>{a.turn}</td><td>{a.kind}</td>"
                f"<td>{html.escape(a.event or '')}</td><td>{html.escape(a.detail)}</td>"
                f"<td>{html.escape(a.reason or '(none given)')}</td></tr>"
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
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
