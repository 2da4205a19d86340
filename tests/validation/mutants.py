"""Named mutants of the baseline: each reverses one mechanism a claim of the paper rests on.

A claim test that still passes on its mutant tests nothing (`test_paper.py` checks that
every claim fails on its mutant). A mutant is the baseline's scenario and actor files,
edited and written to a folder of their own; a number it changes is pinned (its range
collapsed to the new value), so sampling cannot undo the change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from wargame.actors.profiles import bundled_actors
from wargame.engine.scenario import bundled_scenarios

__all__ = ["MUTANTS", "write_mutant"]

Files = dict[str, Any]  # "scenario" and each actor id -> the parsed YAML


def _pin(node: dict[str, Any], key: str, value: float, range_key: str | None = None) -> None:
    node[key] = value
    range_key = range_key or ("range" if key in ("value", "initial") else f"{key}_range")
    if range_key in node or "assumption" in node:
        node[range_key] = [value, value]


def _parameter(files: Files, name: str, value: float) -> None:
    _pin(files["scenario"]["parameters"][name], "value", value)


def _preference(
    files: Files,
    actor: str,
    dim: str,
    ideal: float,
    salience: float | None = None,
    bloc: str | None = None,
) -> None:
    owner = files[actor]["blocs"][bloc] if bloc else files[actor]
    preference = owner["preferences"].setdefault(dim, {"assumption": "mutant"})
    _pin(preference, "ideal", ideal)
    if salience is not None or "salience" not in preference:
        _pin(preference, "salience", 1.0 if salience is None else salience)


def _event(files: Files, event_id: str) -> dict[str, Any]:
    return next(e for e in files["scenario"]["events"] if e["id"] == event_id)


def _option(files: Files, event_id: str, option_id: str) -> dict[str, Any]:
    return next(o for o in _event(files, event_id)["options"] if o["id"] == option_id)


def restraint_as_internationalist(files: Files) -> None:
    """A restraint administration that wants what the internationalist one wants."""
    blocs = files["us_administration"]["blocs"]
    blocs["admin_restraint"]["preferences"] = blocs["admin_internationalist"]["preferences"]


def members_welcome_turkey(files: Files) -> None:
    """The EU and Greece and Cyprus want Türkiye in, and it meets the conditions from the start."""
    _preference(files, "eu", "turkey_access", 100)
    _preference(files, "greece_cyprus", "turkey_access", 100)
    files["scenario"]["facts"]["turkey_conditions"]["initial"] = "met"


def eu_neglects_mobility(files: Files) -> None:
    """The EU, which holds the money, does not want military mobility."""
    _preference(files, "eu", "mobility", 0, salience=2)


def holdout_pays(files: Files) -> None:
    """Ratifying earns Türkiye nothing, holding out earns it what point 8 promised."""
    _option(files, "accession", "ratify")["effects"].pop("turkey_access")
    _option(files, "accession", "delay")["effects"] = {
        "turkey_access": "turkey_access + point8_support"
    }


def house_without_agenda(files: Files) -> None:
    """The House majority does not set the floor, and the midterms move no seats."""
    del _event(files, "ukraine_aid")["agenda"]
    _parameter(files, "midterm_shift", 0.0)


def full_follow_through(files: Files) -> None:
    """Member states want every action point, deliver them at no cost, and never slip."""
    _preference(files, "eu", "compass", 100)
    _parameter(files, "compass_full", 20)
    _parameter(files, "compass_cost", 0.0)
    _parameter(files, "inflation_erosion", 0.0)
    _parameter(files, "pledge_growth", 2.0)
    _pin(files["eu"]["temperature"], "value", 0.0)


def eu_embraces_linking(files: Files) -> None:
    """The EU wants its innovation tools linked with NATO's, whatever the access dispute."""
    _preference(files, "eu", "innovation", 100, salience=4)
    _preference(files, "eu", "industrial", 50, salience=0.0)
    _option(files, "innovation_coordination", "link").pop("available")


def us_wants_autonomy(files: Files) -> None:
    """An administration that wants European decision-making independent of Washington."""
    _preference(files, "us_administration", "autonomy", 100, bloc="admin_internationalist")


def eu_opens_the_edf(files: Files) -> None:
    """An EU that wants non-EU allies in the EDF and minds neither ITAR nor its industry."""
    _preference(files, "eu", "third_state_access", 100, salience=4)
    _preference(files, "eu", "industrial", 0)
    _preference(files, "eu", "autonomy", 50, salience=0.0)


def sceptical_congress(files: Files) -> None:
    """A House in which the restraint bloc holds the majority of seats."""
    blocs = files["us_congress"]["blocs"]
    for bloc, share in {
        "dem_mainstream": 0.2,
        "progressive": 0.05,
        "rep_internationalist": 0.15,
        "rep_restraint": 0.6,
    }.items():
        _pin(blocs[bloc]["seats"], "value", share)


def no_knock_on(files: Files) -> None:
    """Refusing the access demand costs EU-NATO cooperation nothing and closes nothing."""
    _parameter(files, "knock_on", 0.0)
    _option(files, "innovation_coordination", "link").pop("available")


MUTANTS: dict[str, Callable[[Files], None]] = {
    f.__name__: f
    for f in (
        restraint_as_internationalist,
        members_welcome_turkey,
        eu_neglects_mobility,
        holdout_pays,
        house_without_agenda,
        full_follow_through,
        eu_embraces_linking,
        us_wants_autonomy,
        eu_opens_the_edf,
        sceptical_congress,
        no_knock_on,
    )
}


def write_mutant(name: str, folder: Path, scenario: str = "madrid-2022") -> Path:
    """Write the named mutant of a bundled scenario (and its actors) into `folder`."""
    source = bundled_scenarios()[scenario]
    files: Files = {"scenario": yaml.safe_load(source.read_text(encoding="utf-8"))}
    profiles = bundled_actors()
    for actor in files["scenario"]["actors"]:
        files[actor] = yaml.safe_load(profiles[actor].read_text(encoding="utf-8"))
    MUTANTS[name](files)
    (folder / "actors").mkdir(parents=True, exist_ok=True)
    for actor in list(files["scenario"]["actors"]):
        (folder / "actors" / f"{actor}.yaml").write_text(yaml.safe_dump(files[actor]), "utf-8")
    files["scenario"]["actors"] = [f"actors/{a}.yaml" for a in files["scenario"]["actors"]]
    path = folder / f"{scenario}-{name}.yaml"
    path.write_text(yaml.safe_dump(files["scenario"], allow_unicode=True), encoding="utf-8")
    return path
