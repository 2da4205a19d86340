"""Games played through the engine as a class would, for the tests of what is told about them."""

from __future__ import annotations

from pathlib import Path

from wargame.engine.decisions import Decision
from wargame.engine.game import Game, GameSetup


def answer_first(game: Game) -> None:
    """A team that takes its first option (a veto player accepts everything)."""
    p = game.pending
    assert p is not None
    game.decide(
        Decision(
            p.turn,
            p.event,
            actor=p.actor,
            role=p.role,
            option=p.options[0],
            accepts=p.options if p.role == "veto" else None,
        )
    )


def answer_last(game: Game) -> None:
    """A team that takes its last open option (a veto player accepts everything)."""
    p = game.pending
    assert p is not None
    veto = p.role == "veto"
    game.decide(
        Decision(
            p.turn,
            p.event,
            actor=p.actor,
            role=p.role,
            option=None if veto else p.options[-1],
            accepts=p.options if veto else None,
        )
    )


def facilitated_game(save: Path | None = None, seed: int = 5) -> Game:
    """Turkey and the EU played by teams to the end; the facilitator overrides an event and
    rolls that turn back (the override undone), injects a deck event, and overrides another
    event for good: every kind of facilitator action, each with its own reason."""
    game = Game.start(GameSetup("madrid-2022", seed, ("turkey", "eu")), save_path=save)
    while not game.done:
        game.advance()
        while game.pending is not None:
            answer_last(game)
            game.advance()
        if game.turn == 3 and not game.journal:
            first = game.overridable()[0]
            other = [o for o in game.scenario.event(first.event).option_ids if o != first.option]
            game.override(first.event, other[0], "the class wanted to see the other result")
            game.rollback("we had misread the rules of the turn")
        if game.turn == 5 and not any(d.kind == "inject" for d in game.decisions):
            game.inject(game.injectable()[0], "a what-if from the instructor")
        if game.turn == 7 and not any(d.kind == "override" for d in game.decisions):
            last = game.overridable()[-1]
            other = [o for o in game.scenario.event(last.event).option_ids if o != last.option]
            game.override(last.event, other[0], "to show the class a rarer path")
            while game.pending is not None:
                answer_last(game)
                game.advance()
    return game
