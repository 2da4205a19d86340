"""The paper's claims the baseline must reproduce, each with the mutant that must break it.

A claim reads the figures of a Monte Carlo with every declared range sampled (the actors at
their profiles' temperatures) and returns what does not hold: nothing, on the baseline. Each
names the mechanism it rests on and the mutant (tests/validation/mutants.py) that reverses
that mechanism: on the mutant, the claim must fail, or it tests nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.validation.figures import Figures


@dataclass(frozen=True)
class Claim:
    name: str
    quote: str  # the paper's words
    mechanism: str  # the choices the result comes from
    mutant: str  # the mutant that reverses the mechanism
    check: Callable[[Figures], list[str]]  # what fails to hold (empty: the claim holds)


def _wild_card(f: Figures) -> list[str]:
    problems = []
    if not f.unity_by_restraint.interval[1] < 0:
        problems.append(f"a restraint president does not lower unity ({f.unity_by_restraint})")
    ranked = list(f.variance_explained.items())
    (top, top_share), (_, second_share) = ranked[0], ranked[1]
    if top != "the 2024 election" or top_share < 2 * second_share:
        problems.append(f"the 2024 election is not clearly the largest source: {ranked[:3]}")
    return problems


def _turkey_rarely(f: Figures) -> list[str]:
    if f.turkey_in_pesco.value < 0.10:
        return []
    return [f"Turkey ends in PESCO Military Mobility in {f.turkey_in_pesco}"]


def _mobility(f: Figures) -> list[str]:
    mobility = f.gains["mobility"]
    others = {a: g for a, g in f.gains.items() if a != "mobility"}
    beaten = [a for a, g in others.items() if not g.interval[1] < mobility.interval[0]]
    if beaten or mobility.value <= 0:
        return [f"mobility gains {mobility}, not more than {beaten}"]
    return []


def _accession(f: Figures) -> list[str]:
    return [] if f.ratified.value >= 0.95 else [f"Finland and Sweden in only in {f.ratified}"]


def _aid_after_midterms(f: Figures) -> list[str]:
    democratic, republican = f.full_package["democratic"], f.full_package["republican"]
    if republican.interval[1] < democratic.interval[0]:
        return []
    return [f"full packages: {republican} under a Republican House, {democratic} before"]


def _follow_through(f: Figures) -> list[str]:
    problems = []
    if f.compass_full.value >= 0.5:
        problems.append(f"the Compass is fully delivered in {f.compass_full}")
    if f.compass_short_decisions.value < 0.10:
        problems.append(f"delivery falls short in only {f.compass_short_decisions}")
    return problems


def _coordination_stalls(f: Figures) -> list[str]:
    if f.never_linked.value >= 0.15:
        return []
    return [f"innovation tools stay apart in only {f.never_linked}"]


def _capabilities_not_autonomy(f: Figures) -> list[str]:
    capabilities, autonomy = f.backs_capabilities, f.backs_autonomy
    if capabilities.value >= 0.4 and autonomy.interval[1] < capabilities.interval[0]:
        return []
    return [f"Washington backs capabilities in {capabilities}, autonomy in {autonomy}"]


def _edf(f: Figures) -> list[str]:
    return [] if f.edf_adopted.value < 0.05 else [f"the EDF is revised in {f.edf_adopted}"]


def _congress_backs_nato(f: Figures) -> list[str]:
    if f.resolution_affirmed.value >= 2 / 3:
        return []
    return [f"NATO support resolutions pass in only {f.resolution_affirmed}"]


def _pegging_backfires(f: Figures) -> list[str]:
    return [f"no knock-on: {d}" for d in f.refused.values() if not d.interval[1] < 0]


CLAIMS = [
    Claim(
        "us_politics_is_the_biggest_wild_card",
        "by far the biggest wild card going forward is American domestic politics",
        "a restraint administration chooses, by its preferences, to threaten withdrawal, move "
        "forces to Asia and stop asking for Ukraine aid",
        "restraint_as_internationalist",
        _wild_card,
    ),
    Claim(
        "turkey_rarely_joins_pesco_military_mobility",
        "So far, Turkey has not met either of these political conditions",
        "the EU and Greece and Cyprus veto Türkiye's bid, which the conditions rarely open",
        "members_welcome_turkey",
        _turkey_rarely,
    ),
    Claim(
        "military_mobility_is_where_the_eu_and_nato_cooperate",
        "there are areas where the EU and NATO can successfully cooperate, not least because "
        "it is the EU which holds the regulatory and financial firepower to seriously address them",
        "the EU, which holds the money, chooses to fund military mobility; it resists opening "
        "its initiatives and linking its innovation tools",
        "eu_neglects_mobility",
        _mobility,
    ),
    Claim(
        "the_finland_sweden_turkey_agreement_holds",
        "an agreement between Ankara, Helsinki and Stockholm was found",
        "Türkiye ratifies because ratifying brings it point 8's support",
        "holdout_pays",
        _accession,
    ),
    Claim(
        "congress_makes_large_aid_harder_after_the_midterms",
        "getting congressional assent to further large-scale Ukraine aid bills could become "
        "more complicated for the Biden administration",
        "a Republican majority sets the floor agenda and picks the reduced package; the "
        "midterms move seats to the restraint bloc",
        "house_without_agenda",
        _aid_after_midterms,
    ),
    Claim(
        "some_countries_fail_to_meet_the_full_scope_of_their_commitments",
        "It is likely that some European countries could fail to meet the full scope of their "
        "commitments in the areas of defence and security.",
        "member states weigh delivery against its cost, let it slip once their own goals are "
        "met, and err",
        "full_follow_through",
        _follow_through,
    ),
    Claim(
        "nato_eu_coordination_can_still_stall",
        "It is possible that NATO-EU coordination could still stall.",
        "the EU vetoes linking innovation tools that would open EU-funded work to non-EU "
        "industry, and a refused access demand rules linking out",
        "eu_embraces_linking",
        _coordination_stalls,
    ),
    Claim(
        "us_welcomes_capabilities_but_not_independent_decision_making",
        "More European autonomous capabilities are welcomed, whereas more independence in "
        "European decision-making can still ruffle feathers.",
        "the administration backs the Compass's capabilities, not EU autonomy as such",
        "us_wants_autonomy",
        _capabilities_not_autonomy,
    ),
    Claim(
        "the_edf_regulation_is_hard_to_revise",
        "any revision to third-state access rules could result in a lengthy and uncertain process",
        "the EU refuses to open the EDF, for its industry and for fear of ITAR, and a revision "
        "must pass a second vote later",
        "eu_opens_the_edf",
        _edf,
    ),
    Claim(
        "congress_majority_backs_nato",
        "On the Democratic side, most members have voted for resolutions and sanctions "
        "supporting NATO and condemning Russia.",
        "internationalist blocs of both parties hold most seats and vote for the resolutions",
        "sceptical_congress",
        _congress_backs_nato,
    ),
    Claim(
        "pegging_access_to_cooperation_backfires",
        "this knot in defence industrial cooperation between the EU and NATO could also have "
        "knock-on effects for other areas of potential EU-NATO cooperation",
        "a refused demand costs cooperation and rules out linking innovation tools, so later "
        "choices build less",
        "no_knock_on",
        _pegging_backfires,
    ),
]
