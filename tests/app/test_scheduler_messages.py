"""The scheduler's messages (infeasible events, broken rules, impossible bounds) come out in the
language of the request, through the translator app.i18n installs in scheduler.messages."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.database import make_engine
from app.i18n import join_and, use_language
from app.settings import Settings
from scheduler.bounds import compute_bounds
from scheduler.problem import Infeasible, build_problem
from scheduler.schema import InstanceError, parse_instance, parse_plan
from scheduler.validate import score_plan
from tests.app.factories import add_people, add_tables, make_event
from tests.factories import instance_data, make_instance


def infeasible_message() -> str:
    with pytest.raises(Infeasible) as err:
        build_problem(make_instance(people=10, tables=1, capacity=4, rounds=2))
    return str(err.value)


def test_an_infeasible_instance_is_explained_in_the_language_in_use() -> None:
    with use_language("es"):
        spanish = infeasible_message()
    assert spanish == (
        "la ronda 1 tiene 10 participantes, pero solo 4 asientos; agregue mesas o capacidad, "
        "o marque a personas como ausentes"
    )
    assert infeasible_message() == (
        "round 1 has 10 participants but only 4 seats; add tables or capacity, "
        "or mark people absent"
    )
    with use_language("en"):
        assert infeasible_message().startswith("round 1 has 10 participants but only 4 seats")


def test_spanish_plural_forms_follow_the_count() -> None:
    with use_language("es"), pytest.raises(Infeasible) as err:
        build_problem(make_instance(people=2, tables=1, capacity=1, min_size=1, rounds=1))
    assert str(err.value).startswith("la ronda 1 tiene 2 participantes, pero solo 1 asiento;")


def test_instance_errors_in_spanish() -> None:
    with use_language("es"), pytest.raises(InstanceError) as err:
        parse_instance(instance_data(pins=[{"participant": "zz", "round": 1, "table": "T1"}]))
    assert str(err.value) == (
        "asiento fijado: participante desconocido 'zz'; agréguelo a los participantes o "
        "corrija el id"
    )


def test_violations_and_impossibilities_in_spanish() -> None:
    instance = parse_instance(instance_data(people=4, tables=1, rounds=1))
    plan = parse_plan(
        {"rounds": [{"round": 1, "tables": [{"table": "T1", "participants": ["p1", "p2", "p3"]}]}]}
    )
    with use_language("es"):
        violations = score_plan(instance, plan).violations
    assert violations == ["ronda 1: 'p4' está presente, pero no tiene asiento"]
    crowded = make_instance(people=8, tables=2, capacity=4, min_size=4, rounds=3)
    with use_language("es"):
        impossible = compute_bounds(build_problem(crowded)).impossible
    assert impossible and impossible[0].startswith("no hay plan sin repeticiones:")
    assert impossible[0].endswith("encuentros repetidos")


def test_lists_are_joined_in_the_language_in_use() -> None:
    assert join_and(["a.csv"]) == "a.csv"
    assert join_and(["a.csv", "b.csv"]) == "a.csv and b.csv"
    with use_language("es"):
        assert join_and(["a.csv", "b.csv", "c.csv"]) == "a.csv, b.csv y c.csv"


@pytest.fixture
def web_engine(web_settings: Settings, live_server: str) -> Iterator[Engine]:
    engine = make_engine(web_settings.database_url)
    yield engine
    engine.dispose()


def test_a_spanish_page_explains_why_the_event_cannot_be_planned(
    organizer: httpx.Client, web_engine: Engine
) -> None:
    with Session(web_engine) as session:
        event = make_event(session, "Crowded", rounds=2)
        add_people(session, event, 10)
        add_tables(session, event, 1, capacity=4)
        event_id = int(event.id or 0)
    organizer.get("/language/es?next=/")
    page = organizer.get(f"/events/{event_id}/plan/generate").text
    assert "No se puede planificar:" in page
    assert "la ronda 1 tiene 10 participantes, pero solo 4 asientos" in page
    assert "10 participants but only 4 seats" not in page
