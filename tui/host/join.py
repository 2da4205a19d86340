"""`wargame join HOST:PORT`: a team's or the facilitator's screen of a hosted game."""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from wargame.engine.errors import UsageError
from wargame.tui.host.protocol import Hello

__all__ = ["join_command", "join_hello"]


def join_hello(args: argparse.Namespace) -> Hello | None:
    """Who joins, from the arguments; None leaves it to the join screen to ask."""
    if args.facilitator:
        if args.team or args.code:
            raise UsageError("--facilitator joins with --pin, not a team's --team or --code")
        return Hello(pin=args.pin)
    if args.pin:
        raise UsageError("--pin is the facilitator's: add --facilitator")
    if args.team and args.code:
        try:
            return Hello(team=args.team.strip().lower(), code=args.code.strip())
        except ValidationError:
            raise UsageError(
                f"--team {args.team!r}: an actor's id, lower-case letters, digits and _"
            ) from None
    if args.code:
        raise UsageError("--code needs the --team it belongs to")
    return None


def join_command(args: argparse.Namespace) -> int:
    from wargame.tui.host.join_app import JoinApp

    hello = None if args.web else join_hello(args)
    JoinApp(args.address, hello, team=args.team or "", web=args.web).run()
    return 0
