"""Finite fields GF(p^k) as addition and multiplication tables over 0..q-1.

An element is the number whose base-p digits are its polynomial's coefficients (low to high),
so the additive group of GF(2^k) is bit vectors under XOR.
"""

from __future__ import annotations


def prime_power(q: int) -> tuple[int, int] | None:
    for p in range(2, q + 1):
        if q % p == 0:
            k, rest = 0, q
            while rest % p == 0:
                rest //= p
                k += 1
            return (p, k) if rest == 1 else None
    return None


def _irreducible(p: int, k: int) -> list[int]:
    """Coefficients (low to high, monic) of an irreducible polynomial of degree k over GF(p)."""
    for code in range(p**k):
        coeffs = [(code // p**i) % p for i in range(k)] + [1]
        if not any(
            _divides([(c // p**i) % p for i in range(d)] + [1], coeffs, p)
            for d in range(1, k // 2 + 1)
            for c in range(p**d)
        ):
            return coeffs
    raise ValueError(f"no irreducible polynomial of degree {k} over GF({p})")


def _divides(divisor: list[int], poly: list[int], p: int) -> bool:
    """Whether a monic divisor divides poly over GF(p) (coefficients low to high)."""
    rest = list(poly)
    d = len(divisor) - 1
    for deg in range(len(rest) - 1, d - 1, -1):
        c = rest[deg]
        if c:
            for i in range(d + 1):
                rest[deg - d + i] = (rest[deg - d + i] - c * divisor[i]) % p
    return not any(rest[:d])


def _mul_table(p: int, k: int, modulus: list[int]) -> list[list[int]]:
    q = p**k

    def digits(a: int) -> list[int]:
        return [(a // p**i) % p for i in range(k)]

    def number(ds: list[int]) -> int:
        return sum(d * p**i for i, d in enumerate(ds))

    table = [[0] * q for _ in range(q)]
    for a in range(q):
        da = digits(a)
        for b in range(q):
            db = digits(b)
            prod = [0] * (2 * k - 1)
            for i, x in enumerate(da):
                for j, y in enumerate(db):
                    prod[i + j] = (prod[i + j] + x * y) % p
            for deg in range(2 * k - 2, k - 1, -1):
                c = prod[deg]
                if c:
                    for i in range(k + 1):
                        prod[deg - k + i] = (prod[deg - k + i] - c * modulus[i]) % p
            table[a][b] = number(prod[:k])
    return table


def field(q: int) -> tuple[list[list[int]], list[list[int]]] | None:
    """Addition and multiplication tables of GF(q), or None if q is not a prime power."""
    pk = prime_power(q)
    if pk is None:
        return None
    p, k = pk

    def add(a: int, b: int) -> int:
        out, scale = 0, 1
        for _digit in range(k):
            out += ((a % p + b % p) % p) * scale
            a, b, scale = a // p, b // p, scale * p
        return out

    addition = [[add(a, b) for b in range(q)] for a in range(q)]
    mul = (
        _mul_table(p, k, _irreducible(p, k))
        if k > 1
        else [[(a * b) % p for b in range(q)] for a in range(q)]
    )
    return addition, mul
