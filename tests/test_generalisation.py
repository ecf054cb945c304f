"""Resolution on articles written for these tests in other outlets' styles and spellings
(Reuters datelines, AP front matter, Zelenskyy/Zelenskyi, Kiev, Odessa, Andrii/Andriy):
the real model, nothing from the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_CACHE
from generator.project import Project
from generator.resolved import resolve_project

HELD_OUT = Path(__file__).parent / "data" / "held-out"


@pytest.fixture(scope="module")
def resolution():
    return resolve_project(Project(seeds=HELD_OUT, content=HELD_OUT / "no-content", cache=SHARED_CACHE), use_overrides=False).resolution


def by_name(resolution, kind):
    return {e.name: e for e in resolution.entities if e.kind == kind}


def test_spelling_variants_of_one_person_share_a_page(resolution):
    people = by_name(resolution, "person")
    zelensky = [e for e in people.values() if e.name.startswith("Volodymyr Zelensk")]
    assert len(zelensky) == 1
    assert {"Zelenskyy", "Zelensky", "Zelenskyi"} <= set(zelensky[0].aliases)
    assert {"Andrii Sybiha", "Andriy Sybiha"} <= set(next(e for n, e in people.items() if n.endswith("Sybiha")).aliases)


def test_people_who_share_a_given_name_stay_apart(resolution):
    assert {"Donald Trump", "Donald Tusk"} <= set(by_name(resolution, "person"))


def test_exonyms_and_old_spellings_land_on_the_city(resolution):
    places = by_name(resolution, "place")
    assert {"Kiev", "Kyiv"} <= set(places["Kyiv"].aliases)
    assert {"Odessa", "Odesa"} <= set(places["Odesa"].aliases)
    assert places["Odesa"].country == "Ukraine"


def test_short_forms_and_demonyms_are_countries(resolution):
    countries = by_name(resolution, "country")
    assert "U.S." in countries["United States"].aliases
    assert {"Hungarian"} <= set(countries["Hungary"].aliases)
    assert not set(by_name(resolution, "country")) & {"Kyiv", "Odesa", "Brussels", "Berlin", "Budapest"}


def test_a_weapon_system_is_no_person(resolution):
    assert "Patriot" not in by_name(resolution, "person")
