"""``ref-solver`` for reasoning: parses the puzzle families of the benchmarks and solves them.

Race orders are sorted topologically, knights and knaves are solved by trying every
assignment, sequences are recognised (arithmetic, geometric, quadratic, Fibonacci-like) and
mathematics is computed (safe arithmetic, gcd, lcm, modular powers, sieves, binomials).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from typing import Any

from atp_core.agents._calc import calculate
from atp_core.protocol import Artifact, Request, StructuredArtifact

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"]


def answer(value: Any) -> list[Artifact]:
    """The ``answer`` artifact holding ``value``."""
    return [StructuredArtifact(name="answer", data={"answer": value})]


def race_position(text: str) -> str:
    """Who finished at the asked position, from 'X finished before/after Y' facts."""
    runners = re.search(r"The runners: ([^.]+)\.", text)
    asked = re.search(r"Who finished (\w+)\?", text)
    if runners is None or asked is None:
        raise ValueError("not a race-order puzzle")
    names = [n.strip() for n in runners.group(1).split(",")]
    ahead_of: dict[str, set[str]] = {n: set() for n in names}
    for a, rel, b in re.findall(r"(\w+) finished (before|after) (\w+)\.", text):
        first, second = (a, b) if rel == "before" else (b, a)
        ahead_of[second].add(first)
    order: list[str] = []
    while len(order) < len(names):
        ready = [n for n in names if n not in order and ahead_of[n] <= set(order)]
        if len(ready) != 1:
            raise ValueError("the facts do not fix one order")
        order.append(ready[0])
    return order[ORDINALS.index(asked.group(1))]


_CLAIMS: list[tuple[str, Callable[[bool, bool], bool]]] = [
    (r"(\w+) is a knight\.", lambda a, b: a),
    (r"(\w+) is a knave\.", lambda a, b: not a),
    (r"(\w+) and (\w+) are both knights\.", lambda a, b: a and b),
    (r"At least one of (\w+) and (\w+) is a knave\.", lambda a, b: not (a and b)),
    (r"(\w+) and (\w+) are of the same kind\.", lambda a, b: a == b),
    (r"(\w+) and (\w+) are of different kinds\.", lambda a, b: a != b),
]


def _claim(statement: str) -> tuple[Callable[[bool, bool], bool], list[str]]:
    for pattern, meaning in _CLAIMS:
        if m := re.fullmatch(pattern, statement):
            return meaning, list(m.groups())
    raise ValueError(f"unknown statement {statement!r}")


def knights(text: str) -> list[str]:
    """The knights: the only assignment under which every statement is consistent."""
    said = [(who, *_claim(what)) for who, what in re.findall(r'(\w+) says: "([^"]+)"', text)]
    names = sorted({who for who, _, _ in said})
    found = []
    for values in itertools.product([True, False], repeat=len(names)):
        kind = dict(zip(names, values, strict=True))
        if all(kind[who] == meaning(kind[p[0]], kind[p[-1]]) for who, meaning, p in said):
            found.append([n for n in names if kind[n]])
    if len(found) != 1:
        raise ValueError(f"{len(found)} consistent assignments")
    return found[0]


def next_term(terms: list[int]) -> int:
    """The next term of an arithmetic, geometric, quadratic or Fibonacci-like sequence."""
    diffs = [b - a for a, b in itertools.pairwise(terms)]
    if len(set(diffs)) == 1:
        return terms[-1] + diffs[0]
    if 0 not in terms and len({b / a for a, b in itertools.pairwise(terms)}) == 1:
        return terms[-1] * terms[-1] // terms[-2]
    second = [b - a for a, b in itertools.pairwise(diffs)]
    if len(set(second)) == 1:
        return terms[-1] + diffs[-1] + second[0]
    if all(c == a + b for a, b, c in zip(terms, terms[1:], terms[2:], strict=False)):
        return terms[-1] + terms[-2]
    raise ValueError("unknown sequence family")


def _primes_below(n: int) -> int:
    return sum(1 for k in range(2, n) if all(k % d for d in range(2, math.isqrt(k) + 1)))


_MATH: list[tuple[str, Callable[..., int]]] = [
    (r"Compute the exact value of (.+?)\. The answer", lambda e: int(calculate(e))),
    (r"greatest common divisor of (\d+) and (\d+)", lambda a, b: math.gcd(int(a), int(b))),
    (r"least common multiple of (\d+) and (\d+)", lambda a, b: math.lcm(int(a), int(b))),
    (r"remainder when (\d+)\^(\d+) is divided by (\d+)",
     lambda b, e, m: pow(int(b), int(e), int(m))),
    (r"How many prime numbers are less than (\d+)", lambda n: _primes_below(int(n))),
    (r"How many positive divisors does (\d+) have",
     lambda n: sum(1 for d in range(1, int(n) + 1) if int(n) % d == 0)),
    (r"can (\d+) items be chosen from (\d+) distinct", lambda k, n: math.comb(int(n), int(k))),
]


def mathematics(text: str) -> int:
    """Compute the answer of a problem of one of the benchmark's families."""
    for pattern, compute in _MATH:
        if m := re.search(pattern, text):
            return compute(*m.groups())
    raise ValueError("unknown problem family")


async def solve_reasoning(request: Request) -> list[Artifact]:
    """Solve a logical_reasoning or mathematical task."""
    text = request.task.description
    if "runners took part" in text:
        return answer(race_position(text))
    if "knight" in text and "knave" in text:
        return answer(knights(text))
    if m := re.search(r"next number in the sequence ([-\d, ]+), \.\.\.", text):
        return answer(next_term([int(t) for t in m.group(1).split(",")]))
    return answer(mathematics(text))
