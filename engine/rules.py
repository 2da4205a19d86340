"""Decision rules: how an event's option is chosen, for every run at once.

- chance:  nature draws by the options' probabilities.
- single:  one actor chooses by a logit over its utilities.
- veto:    the agenda setter picks its best option among those no veto player ranks
           below the status quo; if none, the status quo holds.
- vote:    voters (blocs by seat share, actors by capability) vote a proposal against
           the status quo; it passes with at least `threshold` of the weight. The
           proposal is the setter's pick (or, with an `agenda` fact, the pick of the
           setter's blocs of the party that fact names: the House majority).
- collective: members each back one option (the open ones: no veto player ranks them
           below the status quo); the option with the most capability behind it wins,
           and a tie keeps the status quo.
- bargain: the demander makes the demand it expects to pay best, knowing how likely
           the party asked is to accept, or holds out (the refusal's outcome without
           asking); the party asked accepts or refuses.

Human actors answer through `Decision`s; when one is missing the rule raises
`NeedDecision` and the model waits. Each rule returns the chosen option index per
run (-1: the event did not happen) and, for a batch of one, fills in a Resolution.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from wargame.actors.agents import ActorAgent
from wargame.actors.profiles import Member
from wargame.engine.behaviour import BehaviourTally, DecisionPoint
from wargame.engine.compiled import CompiledEvent
from wargame.engine.decisions import Decision, DecisionLog, DecisionRequest, Resolution
from wargame.engine.errors import DecisionError, NeedDecision
from wargame.engine.rng import site_id, uniform
from wargame.engine.schema import (
    BargainEvent,
    CollectiveEvent,
    EventSpec,
    SingleEvent,
    VetoEvent,
    VoteEvent,
)
from wargame.engine.state import State, over_runs

__all__ = ["RuleContext", "decide"]

Spec = TypeVar("Spec", bound=EventSpec)
OPEN = np.ones(1, dtype=bool)  # both answers of a yes-or-no decision are open


@dataclass
class RuleContext:
    """Everything a rule needs about one event in one turn of a batch."""

    event: CompiledEvent
    state: State
    turn: int
    seed: int
    agents: Mapping[str, ActorAgent]
    humans: frozenset[str]
    log: DecisionLog
    fired: np.ndarray  # (runs,) bool
    available: np.ndarray  # (options, runs) bool
    projections: list[Mapping[str, np.ndarray]]  # per option: dims it changes -> new values
    resolution: Resolution | None = None
    tally: BehaviourTally | None = None
    _utilities: dict[str, np.ndarray] = field(default_factory=dict)
    _member_utilities: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def options(self) -> tuple[str, ...]:
        return self.event.option_ids

    def spec(self, kind: type[Spec]) -> Spec:
        """The event's spec as the model its rule has (a rule only ever gets its own)."""
        spec = self.event.spec
        if not isinstance(spec, kind):
            raise TypeError(f"{self.event.id}: a {spec.rule} event given to the {kind} rule")
        return spec

    def draw(self, *purpose: str) -> np.ndarray:
        """This event's uniform draw for `purpose`, per run (counter-based)."""
        return uniform(self.seed, self.state.runs, self.turn, site_id(self.event.id, *purpose))

    def utilities(self, actor: str) -> np.ndarray:
        """(options, runs): the actor's utility of each option's projected state."""
        if actor not in self._utilities:
            agent = self.agents[actor]
            self._utilities[actor] = agent.option_utilities(
                self.state.fields, self.projections, known=self.members_known(actor)
            )
        return self._utilities[actor]

    def members_known(self, actor: str) -> dict[str, np.ndarray]:
        """The utilities of the actor's members computed so far in this event, by member."""
        return self._member_utilities.setdefault(actor, {})

    def member_utilities(self, actor: str, member: Member) -> np.ndarray:
        """(options, runs): one member's utilities (a bloc votes on its own)."""
        known = self.members_known(actor)
        if member.id not in known:
            agent = self.agents[actor]
            known[member.id] = agent.member_option_utilities(
                member, self.state.fields, self.projections
            )
        return known[member.id]

    def note(
        self,
        role: str,
        actor: str,
        labels: tuple[str, ...],
        utilities: np.ndarray | Sequence[np.ndarray],
        allowed: np.ndarray,
        chosen: np.ndarray,
        subject: str = "",
        where: np.ndarray | None = None,
    ) -> None:
        """Count an AI decision in the behaviour tally, if one is kept (never a human's).

        `utilities` is (options, runs), or its rows: stacked only when a tally is kept.
        """
        if self.tally is None or actor in self.humans:
            return
        counted = self.fired if where is None else self.fired & where
        point = DecisionPoint(self.event.id, role, actor, subject)
        rows = np.asarray(utilities)
        self.tally.add(point, labels, rows, allowed, np.asarray(chosen, np.int64), counted)

    def ask(
        self, role: str, actor: str, allowed: np.ndarray, proposal: int | None = None
    ) -> list[Decision] | None:
        """Decisions of a human actor for this role, or NeedDecision when it has not decided."""
        if actor not in self.humans or not self.fired.any():
            return None
        found = self.log.find(self.turn, self.event.id, "choice", actor, role)
        if found:
            return found
        first = int(np.argmax(self.fired))
        ids = tuple(o for o, ok in zip(self.options, allowed[:, first]) if ok)
        if len(ids) <= 1:
            return None  # nothing to choose: the only open option stands, nobody is asked
        utilities = self.utilities(actor)[:, first]
        raise NeedDecision(
            DecisionRequest(
                self.turn,
                self.event.id,
                role,
                actor,
                ids,
                proposal=self.options[proposal] if proposal is not None else None,
                utilities={o: float(u) for o, u in zip(self.options, utilities)},
            )
        )

    def apply_human(
        self,
        role: str,
        actor: str,
        ai: np.ndarray,
        allowed: np.ndarray,
        value: Callable[[Decision], int | float | np.ndarray],
        proposal: np.ndarray | None = None,
    ) -> np.ndarray:
        """Replace the AI's answer by the human's, in the runs each decision covers.

        `ai` has the run axis last: (runs,) for a pick or a vote, (options, runs) for vetoes.
        """
        first = int(np.argmax(self.fired))
        asked_about = None if proposal is None or proposal[first] < 0 else int(proposal[first])
        decisions = self.ask(role, actor, allowed, asked_about)
        if decisions is None:
            return ai
        result = ai.copy()
        for decision in decisions:
            runs = self.state.runs == decision.run if decision.run is not None else slice(None)
            result[..., runs] = over_runs(value(decision), ai.shape)[..., runs]
        if self.resolution is not None:
            self.resolution.source = "human"
        return result

    def option_index(self, decision: Decision, allowed: np.ndarray | None = None) -> int:
        if decision.option not in self.options:
            raise DecisionError(
                f"{decision.actor} chose {decision.option!r}, "
                f"which is not an option of {self.event.id!r}"
            )
        index = self.options.index(decision.option)
        if allowed is not None and not allowed[index].any():
            raise DecisionError(
                f"option {decision.option!r} of {self.event.id!r} is not available now"
            )
        return index


def decide(ctx: RuleContext) -> np.ndarray:
    """The option index each run ends with (-1 where the event did not happen)."""
    rule = ctx.event.rule
    choice = _RULES[rule](ctx)
    choice = np.where(ctx.fired, choice, -1)
    return _override(ctx, choice)


def _chance(ctx: RuleContext) -> np.ndarray:
    env = ctx.state.env()
    n = ctx.state.size
    weights = np.stack(
        [
            np.clip(over_runs(o.probability(env) if o.probability else 0.0, (n,)), 0, None)
            for o in ctx.event.options
        ]
    )
    weights = np.where(ctx.available, weights, 0.0)
    total = weights.sum(axis=0)
    draw = ctx.draw("chance")
    cumulative = np.cumsum(weights, axis=0)
    index = np.minimum((cumulative <= draw * total).sum(axis=0), len(weights) - 1)
    # a draw that rounds past the last weighted option's edge takes that option, never a
    # later one of weight 0
    last = len(weights) - 1 - np.argmax(weights[::-1] > 0, axis=0)
    index = np.where(total > 0, np.minimum(index, last), -1)
    if ctx.resolution is not None:
        ctx.resolution.source = "nature"
        ctx.resolution.draws["chance"] = float(draw[0])
        t = total[0] if total[0] > 0 else 1.0
        ctx.resolution.probabilities = {o: float(w / t) for o, w in zip(ctx.options, weights[:, 0])}
    return index


def _single(ctx: RuleContext) -> np.ndarray:
    actor = ctx.spec(SingleEvent).decider
    index = _ai_choice(ctx, actor, ctx.available, "choose", "decider")
    return ctx.apply_human(
        "decider", actor, index, ctx.available, lambda d: ctx.option_index(d, ctx.available)
    )


def _ai_choice(
    ctx: RuleContext,
    actor: str,
    allowed: np.ndarray,
    purpose: str,
    role: str,
    utilities: np.ndarray | None = None,
) -> np.ndarray:
    utilities = ctx.utilities(actor) if utilities is None else utilities
    draw = ctx.draw(purpose, actor)
    index, probabilities = ctx.agents[actor].choose(utilities, allowed, draw, ctx.state.fields)
    ctx.note(role, actor, ctx.options, utilities, allowed, index)
    if ctx.resolution is not None:
        ctx.resolution.draws[f"{purpose}:{actor}"] = float(draw[0])
    # the event's odds are one decider's; members of a collective decision are in its notes
    if ctx.resolution is not None and role != "member":
        ctx.resolution.probabilities = {
            o: float(p) for o, p, ok in zip(ctx.options, probabilities[:, 0], allowed[:, 0]) if ok
        }
    return index


def _veto(ctx: RuleContext) -> np.ndarray:
    spec = ctx.spec(VetoEvent)
    status_quo = ctx.options.index(spec.status_quo)
    acceptable = _unvetoed(ctx, spec.vetoes, status_quo)
    setter = spec.setter
    index = _ai_choice(ctx, setter, acceptable, "choose", "setter")

    def human_pick(decision: Decision) -> np.ndarray:
        picked = ctx.option_index(decision, ctx.available)
        return np.where(acceptable[picked], picked, status_quo)

    return ctx.apply_human("setter", setter, index, ctx.available, human_pick)


def _unvetoed(ctx: RuleContext, vetoes: list[str], status_quo: int) -> np.ndarray:
    """(options, runs): the available options no veto player ranks below the status quo
    (which is always open)."""
    acceptable = ctx.available.copy()
    for player in vetoes:
        accepts = _acceptances(ctx, player, status_quo)
        accepts = ctx.apply_human(
            "veto", player, accepts, ctx.available, lambda d: _accept_mask(ctx, d, status_quo)
        )
        acceptable &= accepts
        if ctx.resolution is not None:
            ctx.resolution.accepts[player] = {
                o: bool(a) for o, a in zip(ctx.options, accepts[:, 0])
            }
    acceptable[status_quo] = True
    return acceptable


def _collective(ctx: RuleContext) -> np.ndarray:
    spec = ctx.spec(CollectiveEvent)
    status_quo = ctx.options.index(spec.status_quo)
    open_ = _unvetoed(ctx, spec.vetoes, status_quo)
    runs = np.arange(ctx.state.size)
    support = np.zeros(ctx.available.shape)
    for member in spec.members:
        backed = _ai_choice(ctx, member, open_, "back", "member")
        backed = ctx.apply_human(
            "member", member, backed, open_, lambda d: ctx.option_index(d, open_)
        )
        weight = over_runs(ctx.agents[member].capability(ctx.state.fields), runs.shape)
        # one cell per run: a plain += adds exactly what np.add.at would
        support[np.maximum(backed, 0), runs] += np.where(backed >= 0, weight, 0.0)
        if ctx.resolution is not None and backed[0] >= 0:
            ctx.resolution.votes[member] = {"weight": float(weight[0]), "backs": int(backed[0])}
            ctx.resolution.notes.append(
                f"{member} backs {ctx.options[backed[0]]!r} with weight {weight[0]:.2f}"
            )
    support = np.where(open_, support, -1.0)
    best = support.max(axis=0)
    tied = (support == best).sum(axis=0) > 1
    if ctx.resolution is not None and tied[0]:
        ctx.resolution.notes.append(f"a tie: {ctx.options[status_quo]!r} stands")
    return np.where(tied, status_quo, np.argmax(support, axis=0))


def _acceptances(ctx: RuleContext, player: str, status_quo: int) -> np.ndarray:
    """(options, runs): whether `player` lets each option pass rather than keep the status quo."""
    utilities = ctx.utilities(player)
    agent = ctx.agents[player]
    accepts = np.ones_like(ctx.available)
    for o, option in enumerate(ctx.options):
        if o != status_quo:
            chance = agent.acceptance(utilities[o], utilities[status_quo], ctx.state.fields)
            accepts[o] = ctx.draw("accept", player, option) < chance
            pair = (utilities[status_quo], utilities[o])
            ctx.note("veto", player, ("veto", "accept"), pair, ctx.available[o], accepts[o], option)
    return accepts


def _accept_mask(ctx: RuleContext, decision: Decision, status_quo: int) -> np.ndarray:
    accepted = decision.accepts or ()
    unknown = [a for a in accepted if a not in ctx.options]
    if unknown:
        raise DecisionError(
            f"{decision.actor} accepts {unknown[0]!r}, which is not an option of {ctx.event.id!r}"
        )
    mask = np.array([o in accepted or i == status_quo for i, o in enumerate(ctx.options)])
    return mask[:, None]


def _vote(ctx: RuleContext) -> np.ndarray:
    spec = ctx.spec(VoteEvent)
    status_quo = ctx.options.index(spec.status_quo)
    proposals = ctx.available.copy()
    proposals[status_quo] = False
    if spec.setter:
        proposal = _ai_choice(
            ctx, spec.setter, proposals, "propose", "setter", _agenda_utilities(ctx)
        )
        proposal = ctx.apply_human(
            "setter", spec.setter, proposal, proposals, lambda d: ctx.option_index(d, proposals)
        )
    else:
        proposal = np.where(proposals.any(axis=0), np.argmax(proposals, axis=0), -1)
    runs = np.arange(ctx.state.size)
    safe = np.maximum(proposal, 0)
    yes = np.zeros(ctx.state.size)
    weight = np.zeros(ctx.state.size)
    for voter in spec.voters:
        agent = ctx.agents[voter]
        seats = agent.seat_weights(ctx.state.fields)
        capability = over_runs(agent.capability(ctx.state.fields), runs.shape)
        share = capability / sum(seats)
        ai_votes = []
        for member in agent.members:
            utilities = ctx.member_utilities(voter, member)
            proposed = utilities[safe, runs]
            chance = agent.acceptance(proposed, utilities[status_quo], ctx.state.fields)
            vote = ctx.draw("vote", member.id) < chance
            ai_votes.append(vote)
            pair = (utilities[status_quo], proposed)
            ctx.note("voter", voter, ("no", "yes"), pair, OPEN, vote, member.id, proposal >= 0)
        ai_yes: np.ndarray = sum(
            (seat * share * vote for seat, vote in zip(seats, ai_votes)), np.zeros(runs.shape)
        )
        ballot = np.zeros_like(ctx.available)
        ballot[safe, runs] = proposal >= 0
        ballot[status_quo] = True

        def human_yes(decision: Decision, c: np.ndarray = capability) -> np.ndarray:
            return _human_vote(ctx, decision, proposal, status_quo) * c

        in_favour = ctx.apply_human("voter", voter, ai_yes, ballot, human_yes, proposal)
        yes = yes + in_favour
        weight = weight + capability
        if ctx.resolution is not None and voter in ctx.humans:
            ctx.resolution.votes[voter] = {
                "weight": float(capability[0]),
                "yes": float(in_favour[0] / capability[0]) if capability[0] > 0 else 0.0,
            }
        elif ctx.resolution is not None:
            for member, seat, vote in zip(agent.members, seats, ai_votes):
                weight_of = over_runs(seat * share, runs.shape)
                ctx.resolution.votes[member.id] = {
                    "weight": float(weight_of[0]),
                    "yes": float(vote[0]),
                }
    share_yes = np.divide(yes, weight, out=np.zeros_like(yes), where=weight > 0)
    passed = (proposal >= 0) & (share_yes >= spec.threshold - 1e-12)
    if ctx.resolution is not None:
        ctx.resolution.notes.append(
            f"{share_yes[0]:.0%} in favour; {spec.threshold:.0%} needed to pass"
        )
    return np.where(passed, proposal, status_quo)


def _agenda_utilities(ctx: RuleContext) -> np.ndarray | None:
    """The setter's utilities as its blocs of the agenda party see them (None: no agenda)."""
    spec = ctx.spec(VoteEvent)
    if spec.agenda is None or spec.setter is None:
        return None
    agent = ctx.agents[spec.setter]
    leading = ctx.state.fields[spec.agenda]  # the code of the party that leads, per run
    labels = ctx.event.agenda
    among = {
        m.id: leading == labels.index(m.party)
        if m.party in labels
        else np.zeros(ctx.state.size, dtype=bool)
        for m in agent.members
    }
    return agent.option_utilities(
        ctx.state.fields, ctx.projections, among, known=ctx.members_known(spec.setter)
    )


def _human_vote(
    ctx: RuleContext, decision: Decision, proposal: np.ndarray, status_quo: int
) -> float:
    if decision.option == ctx.options[status_quo]:
        return 0.0
    if decision.option in ctx.options and (proposal == ctx.options.index(decision.option)).all():
        return 1.0
    raise DecisionError(
        f"a vote on {ctx.event.id!r} is for the proposal or for {ctx.options[status_quo]!r} "
        f"(got {decision.option!r})"
    )


def _bargain(ctx: RuleContext) -> np.ndarray:
    spec = ctx.spec(BargainEvent)
    refusal = ctx.options.index(spec.refusal)
    asked = ctx.agents[spec.asked]
    asked_u = ctx.utilities(spec.asked)
    accept_chance = np.stack(
        [asked.acceptance(u, asked_u[refusal], ctx.state.fields) for u in asked_u]
    )
    accept_chance[refusal] = 0.0  # holding out asks nothing
    demander_u = ctx.utilities(spec.demander)
    expected = accept_chance * demander_u + (1 - accept_chance) * demander_u[refusal]
    draw = ctx.draw("demand", spec.demander)
    options = ctx.available.copy()
    options[refusal] = True
    demand, probabilities = ctx.agents[spec.demander].choose(
        expected, options, draw, ctx.state.fields
    )
    ctx.note("demander", spec.demander, ctx.options, expected, options, demand)
    demand = ctx.apply_human(
        "demander", spec.demander, demand, options, lambda d: ctx.option_index(d, options)
    )
    runs = np.arange(ctx.state.size)
    made = demand != refusal
    accepted = made & (ctx.draw("answer", spec.asked) < accept_chance[demand, runs])
    pair = (asked_u[refusal], asked_u[demand, runs])
    ctx.note("asked", spec.asked, ("refuse", "accept"), pair, OPEN, accepted, where=made)
    if (made & ctx.fired).any():
        answers = np.zeros_like(ctx.available)
        answers[demand, runs] = True
        answers[refusal] = True
        accepted = made & ctx.apply_human(
            "asked",
            spec.asked,
            accepted,
            answers,
            lambda d: ctx.option_index(d, answers) != refusal,
            demand,
        )
    if ctx.resolution is not None:
        ctx.resolution.probabilities = {
            o: float(p) for o, p, ok in zip(ctx.options, probabilities[:, 0], options[:, 0]) if ok
        }
        if made[0]:
            ctx.resolution.notes.append(
                f"{spec.asked} accepts {ctx.options[demand[0]]!r} "
                f"with probability {accept_chance[demand[0], 0]:.0%}"
            )
        else:
            ctx.resolution.notes.append(f"{spec.demander} holds out: no demand is made")
    return np.where(accepted, demand, refusal)


def _override(ctx: RuleContext, choice: np.ndarray) -> np.ndarray:
    overrides = ctx.log.find(ctx.turn, ctx.event.id, "override")
    if not overrides:
        return choice
    result = choice.copy()
    for decision in overrides:
        index = ctx.option_index(decision)
        runs = ctx.state.runs == decision.run if decision.run is not None else slice(None)
        result[runs] = np.where(ctx.fired[runs], index, -1)
    if ctx.resolution is not None and ctx.fired[0]:
        ctx.resolution.source = "override"
        ctx.resolution.notes.append(
            f"facilitator override: {overrides[0].reason or 'no reason given'}"
        )
    return result


_RULES: dict[str, Callable[[RuleContext], np.ndarray]] = {
    "chance": _chance,
    "single": _single,
    "veto": _veto,
    "vote": _vote,
    "collective": _collective,
    "bargain": _bargain,
}
