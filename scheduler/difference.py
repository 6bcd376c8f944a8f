"""Transversal designs from difference matrices over Z_q, for any q, found by CP-SAT.

People are (i, x): orbit i < g and x in Z_q, so n = g * q, seated at q tables of g. Round r
seats at table t the people (i, t + a[r][i]), one of each orbit. People (i, x) and (j, y)
meet in round r exactly when y - x = a[r][j] - a[r][i], so if, for every two orbits i < j,
the differences a[r][j] - a[r][i] differ from round to round, nobody meets anyone twice: the
rows a[r] form a (partial) difference matrix. Finite fields give complete ones when q is a
prime power (construct.py); for other q CP-SAT looks for as many rows as there are rounds,
e.g. 8 rows of 6 over Z_10: 60 people at 10 tables of 6 for 8 rounds with no repeated pair.
When g == q, the orbits themselves seated as tables make one more round.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .budget import Budget
from .stopping import find_solution

Rounds = list[list[list[int]]]


def difference_rounds(
    g: int,
    q: int,
    rounds: int,
    budget: Budget,
    seed: int = 0,
) -> Rounds | None:
    """`rounds` rounds of g * q people (person i * q + x is (i, x)) at q tables of g with no
    pair twice, or None if no difference matrix is found within the budget."""
    rows = rounds - 1 if g == q and rounds == q + 1 else rounds
    if g < 2 or q < 2 or rows > q or budget.over():
        return None
    if rows >= 2 and g > q:
        return None  # the entries of a row after the first all differ
    if rows == q and q % 2 == 0 and g >= 3:
        return None  # Z_q of even order has no complete mapping (Hall-Paige): no such matrix
    matrix = _matrix(g, q, rows, budget, seed)
    if matrix is None:
        return None
    plan = [[[i * q + (t + row[i]) % q for i in range(g)] for t in range(q)] for row in matrix]
    if rows < rounds:
        plan.append([[i * q + x for x in range(q)] for i in range(g)])
    return plan


def _matrix(
    g: int,
    q: int,
    rows: int,
    budget: Budget,
    seed: int,
) -> list[list[int]] | None:
    model = cp_model.CpModel()
    a = [[model.new_int_var(0, q - 1, f"a_{r}_{i}") for i in range(g)] for r in range(rows)]
    # shifting an orbit, or a round's tables, keeps a solution one: row 0 and column 0 are 0
    for r in range(rows):
        model.add(a[r][0] == 0)
    for i in range(g):
        model.add(a[0][i] == 0)
    for i in range(g):
        for j in range(i + 1, g):
            differences = []
            for r in range(rows):
                d = model.new_int_var(0, q - 1, f"d_{r}_{i}_{j}")
                wrap = model.new_bool_var(f"w_{r}_{i}_{j}")
                model.add(d == a[r][j] - a[r][i] + q * wrap)
                differences.append(d)
            model.add_all_different(differences)
    # rounds are interchangeable: order them by orbit 1 (whose entries all differ)
    for r in range(1, rows - 1):
        model.add(a[r][1] < a[r + 1][1])
    solver = find_solution(model, budget, seed)
    if solver is None:
        return None
    return [[solver.value(x) for x in row] for row in a]
