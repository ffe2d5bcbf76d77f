"""Authoring of the reasoning benchmarks: logical_reasoning (20) and mathematical (15).

Every puzzle is generated from a seed and checked for a unique answer before it is written.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

from _common import ANSWER_FORMAT, answer_check, write_suite

VERSION = "1.0"
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"]
RUNNERS = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gia"]
ISLANDERS = ["Ada", "Bo", "Cy", "Dee"]


def _test(test_id: str, name: str, description: str, answer: Any, tags: list[str]) -> dict:
    return {
        "id": test_id,
        "name": name,
        "tags": tags,
        "task": {"description": f"{description}\n\n{ANSWER_FORMAT}"},
        "constraints": {"timeout_seconds": 30},
        "assertions": [answer_check(answer)],
    }


def ordering(rng: random.Random, index: int) -> dict:
    """Runners in a race; adjacent-pair facts fix one order; ask for one position."""
    count = 4 + index % 4
    order = rng.sample(RUNNERS, count)
    facts = []
    for ahead, behind in itertools.pairwise(order):
        if rng.random() < 0.5:
            facts.append(f"{ahead} finished before {behind}.")
        else:
            facts.append(f"{behind} finished after {ahead}.")
    rng.shuffle(facts)
    position = rng.randrange(count)
    runners = ", ".join(sorted(order))
    text = (f"{count} runners took part in a race and there were no ties. The runners: "
            f"{runners}. {' '.join(facts)} Who finished {ORDINALS[position]}? "
            "The answer is the runner's name.")
    return _test(f"lr-{index + 1:03d}", f"Race order, {count} runners", text,
                 order[position], ["ordering"])


def _says(kinds: dict[str, bool], statement: tuple[str, ...]) -> bool:
    kind, *people = statement
    a = kinds[people[0]]
    b = kinds[people[1]] if len(people) > 1 else False
    return {
        "knight": a, "knave": not a, "both": a and b, "one-knave": not (a and b),
        "same": a == b, "different": a != b,
    }[kind]


def _phrase(statement: tuple[str, ...]) -> str:
    kind, *people = statement
    return {
        "knight": "{0} is a knight.", "knave": "{0} is a knave.",
        "both": "{0} and {1} are both knights.",
        "one-knave": "At least one of {0} and {1} is a knave.",
        "same": "{0} and {1} are of the same kind.",
        "different": "{0} and {1} are of different kinds.",
    }[kind].format(*people)


def _solutions(names: list[str], said: dict[str, tuple[str, ...]]) -> list[list[str]]:
    found = []
    for values in itertools.product([True, False], repeat=len(names)):
        kinds = dict(zip(names, values, strict=True))
        if all(kinds[p] == _says(kinds, s) for p, s in said.items()):
            found.append([n for n in names if kinds[n]])
    return found


def knights(rng: random.Random, index: int) -> dict:
    """Knights and knaves with a unique solution; ask for the list of knights."""
    names = ISLANDERS[: 3 + index % 2]
    while True:
        said = {}
        for person in names:
            others = [n for n in names if n != person]
            kind = rng.choice(["knight", "knave", "both", "one-knave", "same", "different"])
            people = rng.sample(others, 1 if kind in ("knight", "knave") else 2)
            said[person] = (kind, *people)
        solutions = _solutions(names, said)
        if len(solutions) == 1:
            break
    lines = " ".join(f'{p} says: "{_phrase(s)}"' for p, s in said.items())
    text = (f"On an island every inhabitant is either a knight, who always tells the truth, or "
            f"a knave, who always lies. You meet {', '.join(names)}. {lines} Which of them are "
            "knights? The answer is the list of the knights' names in alphabetical order "
            "(an empty list if there are none).")
    return _test(f"lr-{index + 1:03d}", f"Knights and knaves, {len(names)} people", text,
                 solutions[0], ["knights-knaves"])


def sequence(rng: random.Random, index: int, family: str) -> dict:
    """A number sequence of a named family; ask for the next term."""
    if family == "arithmetic":
        start, step = rng.randint(-20, 40), rng.choice([-7, -3, 4, 6, 9, 13])
        terms = [start + step * i for i in range(6)]
    elif family == "geometric":
        start, ratio = rng.randint(2, 5), rng.choice([2, 3, -2])
        terms = [start * ratio**i for i in range(6)]
    elif family == "quadratic":
        a, b, c = rng.randint(1, 3), rng.randint(-4, 4), rng.randint(-5, 9)
        terms = [a * n * n + b * n + c for n in range(1, 7)]
    else:
        first, second = rng.randint(1, 5), rng.randint(2, 9)
        terms = [first, second]
        while len(terms) < 7:
            terms.append(terms[-1] + terms[-2])
    shown, answer = terms[:-1], terms[-1]
    text = (f"What is the next number in the sequence {', '.join(map(str, shown))}, ...? "
            "The answer is an integer.")
    return _test(f"lr-{index + 1:03d}", f"Next term ({family})", text, answer, ["sequence"])


def logical_reasoning() -> None:
    """20 puzzles: 7 race orders, 7 knights-and-knaves, 6 sequences."""
    rng = random.Random(20240601)
    tests = [ordering(rng, i) for i in range(7)]
    tests += [knights(rng, i) for i in range(7, 14)]
    families = ["arithmetic", "geometric", "quadratic", "fibonacci", "arithmetic", "quadratic"]
    tests += [sequence(rng, 14 + i, f) for i, f in enumerate(families)]
    write_suite("reasoning", "logical_reasoning", version=VERSION, tests=tests,
                description="Logic puzzles with one exact answer: race orders, knights and "
                            "knaves, and number sequences.")


def _primes_below(n: int) -> int:
    sieve = bytearray([1]) * n
    sieve[:2] = b"\0\0"
    for i in range(2, math.isqrt(n) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(sieve[i * i :: i]))
    return sum(sieve)


def _divisors(n: int) -> int:
    return sum(1 for d in range(1, n + 1) if n % d == 0)


def mathematical() -> None:
    """15 exact-answer problems over seven families."""
    rng = random.Random(31415)
    problems: list[tuple[str, str, int]] = []
    for _ in range(3):
        a, b, c, d = (rng.randint(12, 99) for _ in range(4))
        e = rng.randint(2, 9)
        expr = f"({a} * {b} - {c}) * {e} + {d} ** 2 - ({a} + {c}) * ({b} - {e})"
        value = (a * b - c) * e + d**2 - (a + c) * (b - e)
        problems.append(("arithmetic", f"Compute the exact value of {expr}.", value))
    for _ in range(2):
        g = rng.randint(6, 40)
        a, b = g * rng.randint(11, 97), g * rng.randint(11, 97)
        problems.append(("gcd", f"What is the greatest common divisor of {a} and {b}?",
                         math.gcd(a, b)))
    for _ in range(2):
        a, b = rng.randint(12, 90), rng.randint(12, 90)
        problems.append(("lcm", f"What is the least common multiple of {a} and {b}?",
                         math.lcm(a, b)))
    for _ in range(2):
        base, exp, mod = rng.randint(3, 19), rng.randint(50, 400), rng.choice([97, 1000, 1009])
        problems.append(("modpow", f"What is the remainder when {base}^{exp} is divided by "
                         f"{mod}?", pow(base, exp, mod)))
    for _ in range(2):
        n = rng.randint(200, 5000)
        problems.append(("primes", f"How many prime numbers are less than {n}?",
                         _primes_below(n)))
    for _ in range(2):
        n = rng.choice([360, 720, 1260, 5040, 2310, 4096, 9240])
        problems.append(("divisors", f"How many positive divisors does {n} have?",
                         _divisors(n)))
    for _ in range(2):
        n, k = rng.randint(12, 30), rng.randint(3, 7)
        problems.append(("binomial", f"In how many ways can {k} items be chosen from {n} "
                         "distinct items, when order does not matter?", math.comb(n, k)))
    tests = [
        _test(f"math-{i + 1:03d}", f"{family} #{i + 1}", f"{text} The answer is an integer.",
              value, [family])
        for i, (family, text, value) in enumerate(problems)
    ]
    write_suite("reasoning", "mathematical", version=VERSION, tests=tests,
                description="Mathematics with exact integer answers: arithmetic, gcd, lcm, "
                            "modular powers, prime counts, divisor counts and binomials.")


if __name__ == "__main__":
    logical_reasoning()
    mathematical()
