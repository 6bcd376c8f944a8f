"""Benchmark instances: the Lima event and the classic social-golfer shapes."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from scheduler.schema import Instance, parse_instance

LIMA = Path(__file__).resolve().parent.parent / "examples" / "lima-2022"


def golfers(
    n: int, tables: int, size: int, rounds: int, subjects: int = 0, **extra: Any
) -> Instance:
    """n people at `tables` tables of `size` for `rounds` rounds, optional rotating subjects."""
    data: dict[str, Any] = {
        "name": f"{n}/{tables}x{size}/{rounds}",
        "rounds": rounds,
        "participants": [{"id": f"p{i + 1}"} for i in range(n)],
        "tables": [{"id": f"T{t + 1}", "capacity": size, "min_size": size} for t in range(tables)],
    }
    if subjects:
        hosts = -(-tables // subjects)
        data["subject_mode"] = "rotating"
        data["subjects"] = [{"id": f"S{s + 1}", "hosts": hosts} for s in range(subjects)]
    data.update(extra)
    return parse_instance(data)


def with_needs(inst: Instance, per_topic: int = 8, offering: int = 4, seed: int = 0) -> Instance:
    """`inst` (rotating subjects) with four topics a subject, each asked by `per_topic`
    people and offered by `offering` others, drawn at random with `seed`: 160 needs for 100
    people at 5 subjects when per_topic is 8."""
    rng = random.Random(seed)
    people = [p.id for p in inst.participants]
    data = inst.model_dump()
    data["topics"] = []
    for subject in inst.subjects:
        for k in range(4):
            drawn = rng.sample(people, per_topic + offering)
            data["topics"].append(
                {
                    "id": f"{subject.id}-{k + 1}",
                    "subject": subject.id,
                    "requesting": drawn[:per_topic],
                    "offering": drawn[per_topic:],
                }
            )
    return parse_instance(data)


def short_of_full(n: int, tables: int, size: int, rounds: int) -> Instance:
    """n people at `tables` tables of size - 1 to `size`: a few short of filling them."""
    inst = golfers(n, tables, size, rounds)
    for table in inst.tables:
        table.min_size = size - 1
    return parse_instance(inst.model_dump())  # validated again with the new sizes


def uneven(n: int, tables: int, size: int, rounds: int, subjects: int = 0) -> Instance:
    """`golfers`, tables of size - 1 to `size` (people short of filling them, or absent)."""
    data = golfers(n, tables, size, rounds, subjects).model_dump()
    for table in data["tables"]:
        table["min_size"] = size - 1
    return parse_instance(data)


def with_absences(inst: Instance, absences: list[list[int]]) -> Instance:
    """`inst` with its first participants absent in the rounds given (1-based), in order."""
    data = inst.model_dump()
    for person, rounds in zip(data["participants"], absences, strict=False):
        person["absent_rounds"] = rounds
    return parse_instance(data)


def with_organizations(inst: Instance, organizations: int) -> Instance:
    """`inst` with its participants in `organizations` organizations, taken in turn, each
    kept apart (nobody sits with a colleague)."""
    data = inst.model_dump()
    members: list[list[str]] = [[] for _ in range(organizations)]
    for i, person in enumerate(data["participants"]):
        person["organization"] = f"O{i % organizations + 1}"
        members[i % organizations].append(person["id"])
    data["keep_apart"] = [group for group in members if len(group) > 1]
    return parse_instance(data)


def lima(
    tables: int = 5, capacity: int = 4, min_size: int = 3, subjects_first: bool = False
) -> Instance:
    """The Lima 2022 event from examples/, with the table layout given."""
    with open(LIMA / "countries.csv", encoding="utf-8") as f:
        countries = [row for row in csv.DictReader(f) if row["attended"] == "yes"]
    with open(LIMA / "subjects.csv", encoding="utf-8") as f:
        subjects = list(csv.DictReader(f))
    with open(LIMA / "needs_offers.csv", encoding="utf-8") as f:
        topics = list(csv.DictReader(f))
    code = {c["name"]: c["code"] for c in countries}

    def people(cell: str) -> list[str]:
        if cell.strip() == "*":
            return ["*"]
        return [code[name] for name in cell.split(";") if name in code]

    weights = {"subject_repeat": 10_000_000} if subjects_first else {}
    return parse_instance(
        {
            "name": "Lima 2022",
            "weights": weights,
            "rounds": 5,
            "participants": [{"id": c["code"], "name": c["name"]} for c in countries],
            "tables": [
                {"id": f"Table {t + 1}", "capacity": capacity, "min_size": min_size}
                for t in range(tables)
            ],
            "subject_mode": "rotating",
            "subjects": [{"id": s["number"], "name": s["name"]} for s in subjects],
            "topics": [
                {
                    "id": f"t{i + 1}",
                    "subject": t["subject"],
                    "name": t["topic"],
                    "requesting": people(t["requesting"]),
                    "offering": people(t["offering"]),
                }
                for i, t in enumerate(topics)
            ],
        }
    )
