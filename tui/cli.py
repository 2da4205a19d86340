"""The `wargame` command line: play, host, run, replay, report, debrief, validate... (`-h`).

Every error the engine raises on purpose is printed as a message and a non-zero exit
code (2 for bad input, 1 when the machine fails the command, 130 for Ctrl-C), never as a
traceback; arguments are checked against their bounds before any work starts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from wargame.engine import DEFAULT_CHUNK, ENGINE_VERSION, TRAJECTORY_CHUNK
from wargame.engine.errors import (
    Problem,
    RuntimeFailure,
    ScenarioError,
    UsageError,
    WargameError,
    expected_one_of,
    short_repr,
)
from wargame.engine.files import os_reason
from wargame.engine.lifetime import exit_without_final_collection
from wargame.engine.limits import (
    MAX_CHUNK_SIZE,
    MAX_LEVELS,
    MAX_RUNS,
    MAX_WORKERS,
    MIN_SOBOL_SAMPLES,
)
from wargame.engine.records import SEED_END
from wargame.engine.sampling import DESIGNS
from wargame.tui.launch import EXIT_INTERRUPTED
from wargame.tui.terminal import terminal_safe

__all__ = ["main"]

EXIT_INVALID = 1
EXIT_FAILED = 1
EXIT_USAGE = 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got {short_repr(text)}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _count(high: int, low: int = 1, what: str = "") -> Callable[[str], int]:
    """An argument type: a whole number from `low` to `high` (bounded before work starts)."""

    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 30 else None
        except ValueError:
            value = None
        if value is None:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {short_repr(text)}")
        if not low <= value <= high:
            why = f" ({what})" if what else ""
            raise argparse.ArgumentTypeError(
                f"expected a number from {low:,} to {high:,}{why}, got {short_repr(value)}"
            )
        return value

    return parse


def _scheduler(text: str) -> str:
    """A Dask scheduler's address, `tcp://HOST:PORT` (checked before any work)."""
    if not re.fullmatch(r"(tcp|tls|ws|wss)://[A-Za-z0-9._\[\]:-]+:\d{1,5}", text):
        raise argparse.ArgumentTypeError(
            f"expected an address like tcp://HOST:PORT, got {short_repr(text)}"
        )
    return text


def _seed(text: str) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got {short_repr(text)}"
        ) from None
    if not 0 <= value < SEED_END:
        raise argparse.ArgumentTypeError(f"expected a seed from 0 to 2**64-1, got {value}")
    return value


def _run_index(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a run index (a whole number), got {short_repr(text)}"
        ) from None
    if not 0 <= value < MAX_RUNS:
        raise argparse.ArgumentTypeError(
            f"expected a run index from 0 to {MAX_RUNS - 1:,}, got {short_repr(value)}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="A transatlantic security decision game after NATO's Madrid summit.",
    )
    parser.add_argument("--version", action="version", version=f"wargame {ENGINE_VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    play = commands.add_parser("play", help="play a scenario in the terminal (the Textual game)")
    play.add_argument(
        "scenario",
        nargs="?",
        default="madrid-2022",
        metavar="SCENARIO",
        help="a bundled scenario name or a path (default madrid-2022)",
    )
    play.add_argument(
        "--human",
        default=None,
        metavar="ACTOR,...",
        help="actors played by people, e.g. nato,turkey ('' for none)",
    )
    play.add_argument("--seed", type=_seed, default=None, help="seed (default: random, shown)")
    play.add_argument(
        "--resume",
        nargs="?",
        const="latest",
        default=None,
        metavar="SAVE",
        help="continue a saved game (default: the latest autosave)",
    )
    play.add_argument(
        "--saves",
        type=Path,
        default=None,
        help="folder for autosaves (default: $WARGAME_SAVES, else wargame/saves under "
        "$XDG_DATA_HOME or ~/.local/share)",
    )
    play.add_argument(
        "--replay",
        default=None,
        metavar="SAVE",
        help="watch a saved game again, read-only, step by step",
    )
    play.add_argument(
        "--facilitator-pin",
        default=None,
        metavar="PIN",
        help="lock the facilitator's controls (f) behind this PIN",
    )
    play.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="RESULTS",
        help="the debrief compares with this results file (default: 10000 AI games played)",
    )

    host = commands.add_parser(
        "host", help="host a game that teams join from their own laptops (browser or terminal)"
    )
    from wargame.tui.host.options import add_host_arguments

    add_host_arguments(host)

    join = commands.add_parser(
        "join", help="join a hosted game from this terminal, as a team or the facilitator"
    )
    join.add_argument("address", metavar="HOST:PORT", help="the address `wargame host` printed")
    join.add_argument("--team", default=None, help="the actor your team plays, e.g. turkey")
    join.add_argument("--code", default=None, help="your team's join code (asked if left out)")
    join.add_argument(
        "--facilitator", action="store_true", help="join as the facilitator (the PIN, if set)"
    )
    join.add_argument("--pin", default=None, help="the facilitator's PIN")
    join.add_argument("--web", action="store_true", help=argparse.SUPPRESS)  # textual-serve's

    replay = commands.add_parser("replay", help="play one run of a batch alone and tell its story")
    replay.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path")
    replay.add_argument("--seed", type=_seed, default=None, help="the batch's seed")
    replay.add_argument(
        "--run", type=_run_index, required=True, help="the run's index in the batch"
    )
    replay.add_argument(
        "--results",
        type=Path,
        default=None,
        help="a results file of `run --out`: its seed and sampling design are used",
    )
    _add_design(replay, with_kind=True)
    _add_temperature(replay)
    replay.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: the story turn by turn; json: the run's results row, with its values at "
        'every turn under "trajectory"',
    )
    replay.add_argument(
        "--tui", action="store_true", help="open the run on the game's board, step by step"
    )

    report = commands.add_parser(
        "report", help="a saved game's after-action report (Markdown or self-contained HTML)"
    )
    report.add_argument("save", metavar="SAVE", help="a saved game (its autosave)")
    report.add_argument("--format", choices=["md", "html"], default="md")
    report.add_argument("-o", "--output", type=Path, default=None, help="write it to this file")
    _add_baseline(report)

    debrief = commands.add_parser(
        "debrief", help="several tables' saved games side by side against the same Monte Carlo"
    )
    debrief.add_argument("saves", nargs="+", metavar="SAVE", help="saved games of one scenario")
    _add_baseline(debrief)

    run = commands.add_parser("run", help="Monte Carlo: play many AI games and summarise them")
    run.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path")
    run.add_argument(
        "--runs", type=_count(MAX_RUNS), default=10_000, help="number of games (default 10000)"
    )
    run.add_argument("--seed", type=_seed, default=1, help="base seed (default 1)")
    run.add_argument(
        "--chunk-size",
        type=_count(MAX_CHUNK_SIZE),
        default=None,
        help=f"runs per chunk (default {DEFAULT_CHUNK}, {TRAJECTORY_CHUNK} with --trajectories; "
        "results do not depend on it)",
    )
    run.add_argument(
        "--out", type=Path, default=None, help="keep one row per run in this Parquet file"
    )
    run.add_argument("--resume", action="store_true", help="finish an interrupted batch in --out")
    run.add_argument("--force", action="store_true", help="replace existing results in --out")
    run.add_argument(
        "--trajectories",
        action="store_true",
        help="also keep every indicator at every turn (beside --out: NAME.trajectories.parquet)",
    )
    _add_execution(run)
    _add_design(run, with_kind=True)
    _add_temperature(run)
    _add_answers(run)
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    summary = commands.add_parser("summary", help="summarise a results file from `wargame run`")
    summary.add_argument("results", metavar="RESULTS", help="a Parquet file written by run --out")
    _add_answers(summary)
    _add_export(summary)

    sensitivity = commands.add_parser(
        "sensitivity", help="Sobol indices: which uncertain inputs drive each outcome"
    )
    sensitivity.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario name or a path"
    )
    sensitivity.add_argument(
        "--samples",
        type=_count(MAX_RUNS, MIN_SOBOL_SAMPLES, "fewer give intervals that mean nothing"),
        default=256,
        help="base samples, a power of 2 (default 256)",
    )
    sensitivity.add_argument("--seed", type=_seed, default=1, help="seed (default 1)")
    sensitivity.add_argument(
        "--outcomes", default=None, help="comma-separated outcomes (default: the derived outcomes)"
    )
    sensitivity.add_argument("--top", type=_positive, default=10, help="inputs shown per outcome")
    sensitivity.add_argument(
        "--chunk-size", type=_count(MAX_CHUNK_SIZE), default=None, help=argparse.SUPPRESS
    )
    _add_execution(sensitivity)
    _add_design(sensitivity, with_kind=False)
    sensitivity.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_export(sensitivity)

    behaviour = commands.add_parser(
        "behaviour", help="what each AI actor chooses, and how often, in many games"
    )
    behaviour.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path")
    behaviour.add_argument(
        "--runs", type=_count(MAX_RUNS), default=10_000, help="number of games (default 10000)"
    )
    behaviour.add_argument("--seed", type=_seed, default=1, help="base seed (default 1)")
    _add_temperature(behaviour)
    _add_design(behaviour, with_kind=True)
    behaviour.add_argument("--format", choices=["text", "json"], default="text")
    behaviour.add_argument("--quiet", action="store_true", help="no progress bar")

    assumptions = commands.add_parser(
        "assumptions", help="the scenario's numbers that are the modeller's, with reasons"
    )
    assumptions.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario name or a path"
    )
    assumptions.add_argument("--format", choices=["text", "json"], default="text")

    actors = commands.add_parser("actors", help="list the actors, or print one's role brief")
    actors.add_argument("name", nargs="?", metavar="NAME", help="an actor id, e.g. turkey")
    actors.add_argument("--scenario", default="madrid-2022", help="scenario (default madrid-2022)")

    scenarios = commands.add_parser("scenarios", help="list the bundled scenarios")
    scenarios.add_argument("--format", choices=["text", "json"], default="text")

    new = commands.add_parser("new", help="write a small, valid starter scenario to edit")
    new.add_argument("name", metavar="NAME", help="its file, e.g. my-game (.yaml is added)")
    new.add_argument("--force", action="store_true", help="replace NAME if it exists")

    validate = commands.add_parser("validate", help="check scenario and actor files")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="YAML files (scenario or actor)")

    schema = commands.add_parser(
        "schema", help="print the JSON Schema (draft-07) of scenario or actor files"
    )
    schema.add_argument(
        "--kind",
        choices=["scenario", "actor"],
        default="scenario",
        help="scenario files (default) or actor profile files",
    )
    schema.add_argument(
        "--path",
        action="store_true",
        help="print where the installed schema file is (for an editor's $schema line)",
    )

    return parser


def _add_baseline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="RESULTS",
        help="compare with this results file of `wargame run` (default: play --runs AI games)",
    )
    parser.add_argument(
        "--runs",
        type=_count(MAX_RUNS, 100),
        default=10_000,
        help="AI games to compare with (default 10000)",
    )


def _setting(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep or not name:
            raise ValueError
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {short_repr(text)}") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {short_repr(text)}")
    return name.strip(), number


def _temperature(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of score points, got {text!r}"
        ) from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a temperature of 0 or more, got {text!r}")
    return value


def _add_temperature(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--temperature",
        type=_temperature,
        default=None,
        metavar="T",
        help="every AI actor's temperature, in score points (0: always its best option)",
    )


def _add_execution(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_count(MAX_WORKERS),
        default=None,
        help="local processes (default: all cores)",
    )
    parser.add_argument(
        "--scheduler",
        type=_scheduler,
        default=None,
        metavar="tcp://HOST:PORT",
        help="run on this Dask cluster",
    )


def _add_design(parser: argparse.ArgumentParser, with_kind: bool) -> None:
    if with_kind:
        parser.add_argument(
            "--sample",
            choices=DESIGNS,
            default="none",
            help="draw the scenario's uncertain inputs over their ranges (default: none)",
        )
        parser.add_argument(
            "--levels",
            type=_count(MAX_LEVELS, 2),
            default=None,
            help="grid: levels per input (default 3)",
        )
    parser.add_argument(
        "--set", type=_setting, action="append", metavar="NAME=VALUE", help="fix one input"
    )
    parser.add_argument("--vary", default=None, metavar="NAME,...", help="vary only these inputs")


def _add_answers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by", action="append", metavar="EVENT", help="break outcomes down by this event"
    )
    parser.add_argument(
        "--hist", action="append", metavar="COLUMN", help="histogram of a column in the terminal"
    )
    parser.add_argument(
        "--plot", type=Path, default=None, metavar="DIR", help="PNG histograms and fan charts here"
    )
    parser.add_argument(
        "--fan",
        action="append",
        metavar="INDICATOR",
        help="its spread table and fan chart over the turns (needs --trajectories; default: "
        "the outcomes; 'all' for every indicator)",
    )


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "csv", "json"],
        default="text",
        help="text: tables in the terminal; csv or json: the numbers, to stdout or -o",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="write csv or json here"
    )


def main(argv: Sequence[str] | None = None) -> int:
    exit_without_final_collection()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv  # the command as typed, for the results' provenance
    try:
        if args.command == "validate":
            return _validate(args.paths)
        if args.command == "schema":
            from wargame.engine.jsonschema import schema_path, schema_text

            print(
                schema_path(args.kind) if args.path else schema_text(args.kind),
                end="\n" if args.path else "",
            )
            return 0
        if args.command in ("scenarios", "new"):
            from wargame.tui.authoring_commands import new_command, scenarios_command

            return scenarios_command(args) if args.command == "scenarios" else new_command(args)
        if args.command == "run":
            from wargame.tui.batch_commands import run_command

            return run_command(args, DEFAULT_CHUNK)
        if args.command == "summary":
            from wargame.tui.batch_commands import summary_command

            return summary_command(args)
        if args.command == "sensitivity":
            from wargame.tui.batch_commands import sensitivity_command

            return sensitivity_command(args, DEFAULT_CHUNK)
        if args.command == "replay":
            return _replay(args)
        if args.command == "actors":
            return _actors(args)
        if args.command == "host":
            from wargame.tui.host.command import host_command

            return host_command(args)
        if args.command == "join":
            from wargame.tui.host.join import join_command

            return join_command(args)
        if args.command == "assumptions":
            from wargame.tui.assumptions_view import assumptions_command

            return assumptions_command(args)
        if args.command == "behaviour":
            from wargame.tui.behaviour_view import behaviour_command

            return behaviour_command(args)
        if args.command == "play":
            from wargame.tui.play import play_command

            return play_command(args)
        if args.command == "report":
            from wargame.tui.debrief_commands import report_command

            return report_command(args)
        if args.command == "debrief":
            from wargame.tui.debrief_commands import debrief_command

            return debrief_command(args)
    except ScenarioError as exc:
        _print_problems(exc.problems)
        return EXIT_USAGE
    except RuntimeFailure as exc:
        print(f"wargame: {terminal_safe(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except WargameError as exc:
        print(f"wargame: {terminal_safe(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("wargame: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader (e.g. `| head`) has gone: stop quietly, as command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the machine failed what a check before could not foresee
        where = f" {exc.filename}" if exc.filename else ""
        print(f"wargame: cannot go on:{terminal_safe(where)} {os_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except MemoryError:
        print("wargame: out of memory: try fewer runs per chunk (--chunk-size)", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line and a way to report it, not a traceback
        if os.environ.get("WARGAME_DEBUG"):
            raise
        print(
            f"wargame: internal error: {type(exc).__name__}: {terminal_safe(short_repr(str(exc)))}"
            "\nThis is a bug: please report it (docs/security.md says how); WARGAME_DEBUG=1 "
            "shows the traceback.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_USAGE


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(terminal_safe(problem), file=sys.stderr)
    if len(problems) > 1:
        print(f"{len(problems)} problems", file=sys.stderr)


def _validate(paths: Sequence[str]) -> int:
    from wargame.actors.profiles import load_actor
    from wargame.engine.scenario import file_kind, load_scenario
    from wargame.engine.yamlio import read_yaml

    failed = False
    for name in paths:
        path = Path(name)
        try:
            doc = read_yaml(path)
            kind = file_kind(doc)
            if kind == "scenario":
                load_scenario(path)
            elif kind == "actor":
                load_actor(path)
            else:
                message = (
                    f"missing or unknown 'kind' (got {kind!r}; expected one of 'scenario', 'actor')"
                )
                raise ScenarioError([doc.problem(("kind",) if kind else (), message, key=True)])
        except ScenarioError as exc:
            _print_problems(exc.problems)
            failed = True
            continue
        print(f"{terminal_safe(name)}: ok")
    return EXIT_INVALID if failed else 0


def _actors(args: argparse.Namespace) -> int:
    from wargame.actors.briefs import role_brief
    from wargame.engine.scenario import load_scenario
    from wargame.tui.brief_text import brief_lines

    scenario = load_scenario(args.scenario)
    ids = [a.id for a in scenario.actors]
    if args.name is None:
        for actor in scenario.actors:
            first = actor.spec.summary.split(". ")[0].rstrip(".") + "."
            print(terminal_safe(f"{actor.id}: {actor.name}"))
            text = textwrap.fill(first, 78, initial_indent="    ", subsequent_indent="    ")
            print(terminal_safe(text))
        print(f"\n`wargame actors NAME` prints an actor's role brief ({scenario.id}).")
        return 0
    if args.name not in ids:
        raise UsageError(f"unknown actor {expected_one_of(args.name, ids)}")
    for line in brief_lines(role_brief(scenario, args.name)):
        print(terminal_safe(line))
    return 0


def _replay(args: argparse.Namespace) -> int:
    from wargame.engine.api import Batch, batch_of_results, run_row
    from wargame.engine.playback import run_playback
    from wargame.engine.scenario import load_scenario
    from wargame.tui.story import story_lines

    scenario = load_scenario(args.scenario)
    if args.results is not None:
        from wargame.tui.paths import input_file

        given = {
            "--seed": args.seed is not None,
            "--sample": args.sample != "none",
            "--set": bool(args.set),
            "--vary": args.vary is not None,
            "--levels": args.levels is not None,
            "--temperature": args.temperature is not None,
        }
        if any(given.values()):
            names = " and ".join(name for name, present in given.items() if present)
            raise UsageError(
                f"{names} {'come' if ' and ' in names else 'comes'} from the results file: "
                "replay plays the run as it was"
            )
        batch = batch_of_results(scenario, input_file(args.results, "--results"))
        batch.check(args.run, str(args.results))
    elif args.seed is None:
        raise UsageError("replay needs --seed (and the batch's --sample/--set), or --results")
    else:
        from wargame.tui.batch_commands import design_from_args

        if args.sample in ("lhs", "sobol"):
            raise UsageError(f"a {args.sample} design depends on the batch: replay with --results")
        batch = Batch(args.seed, design_from_args(scenario, args, runs=args.run + 1), args.run + 1)
    if args.format == "json":
        print(json.dumps(run_row(scenario, batch, args.run)))
        return 0
    playback = run_playback(scenario, batch.seed, args.run, batch.design)
    if args.tui:
        from wargame.tui.play import watch_command

        return watch_command(playback, f"seed {batch.seed}, run {args.run}")
    for line in story_lines(playback):
        print(terminal_safe(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
