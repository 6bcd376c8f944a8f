"""Small instances for tests, built from a few numbers."""

from __future__ import annotations

from typing import Any

from scheduler.schema import Instance, parse_instance


def instance_data(
    people: int = 8,
    tables: int = 2,
    capacity: int = 4,
    rounds: int = 3,
    min_size: int = 2,
    subjects: int = 0,
    mode: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "test",
        "rounds": rounds,
        "participants": [{"id": f"p{i}", "name": f"Person {i}"} for i in range(1, people + 1)],
        "tables": [
            {"id": f"T{t}", "capacity": capacity, "min_size": min_size}
            for t in range(1, tables + 1)
        ],
    }
    if subjects:
        data["subject_mode"] = mode or "rotating"
        data["subjects"] = [{"id": f"S{s}", "name": f"Subject {s}"} for s in range(1, subjects + 1)]
    data.update(extra)
    return data


def make_instance(**kwargs: Any) -> Instance:
    return parse_instance(instance_data(**kwargs))
