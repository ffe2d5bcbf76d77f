'''``ref-solver``'s known-solution table for code_generation, keyed by task id.

These are reference solutions written by the benchmark's authors, so the solver's score on
code_generation is an upper bound showing the benchmark is solvable, not a capability.
'''

from __future__ import annotations

SOLUTIONS: dict[str, str] = {
    "cg-001": """def is_palindrome(text):
    kept = [c.lower() for c in text if c.isalnum()]
    return kept == kept[::-1]
""",
    "cg-002": """def fizzbuzz(n):
    out = []
    for i in range(1, n + 1):
        word = ("Fizz" if i % 3 == 0 else "") + ("Buzz" if i % 5 == 0 else "")
        out.append(word or str(i))
    return out
""",
    "cg-003": """import re


def word_counts(text):
    counts = {}
    for word in re.findall(r"[A-Za-z]+", text):
        counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return counts
""",
    "cg-004": """def flatten(items):
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out
""",
    "cg-005": """VALUES = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
          (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
          (1, "I")]


def roman(n):
    out = ""
    for value, letters in VALUES:
        count, n = divmod(n, value)
        out += letters * count
    return out
""",
    "cg-006": """VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def from_roman(text):
    total = 0
    for i, letter in enumerate(text):
        value = VALUES[letter]
        if i + 1 < len(text) and VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total
""",
    "cg-007": """def chunk(items, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return [items[i:i + size] for i in range(0, len(items), size)]
""",
    "cg-008": """import itertools


def rle_encode(text):
    return "".join(f"{len(list(run))}{char}" for char, run in itertools.groupby(text))
""",
    "cg-009": """import re


def rle_decode(text):
    return "".join(char * int(count) for count, char in re.findall(r"(\\d+)(\\D)", text))
""",
    "cg-010": """def primes_up_to(n):
    if n < 2:
        return []
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = [False] * len(sieve[i * i::i])
    return [i for i, prime in enumerate(sieve) if prime]
""",
    "cg-011": """def merge_intervals(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
""",
    "cg-012": """def balanced(text):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in pairs:
            if not stack or stack.pop() != pairs[char]:
                return False
    return not stack
""",
    "cg-013": """def caesar(text, shift):
    out = []
    for char in text:
        if char.isascii() and char.isalpha():
            base = ord("a") if char.islower() else ord("A")
            out.append(chr(base + (ord(char) - base + shift) % 26))
        else:
            out.append(char)
    return "".join(out)
""",
    "cg-014": """import bisect


def binary_search(items, target):
    i = bisect.bisect_left(items, target)
    return i if i < len(items) and items[i] == target else -1
""",
    "cg-015": """def transpose(matrix):
    return [list(column) for column in zip(*matrix)]
""",
    "cg-016": """def digit_sum(n):
    return sum(int(d) for d in str(abs(n)))
""",
    "cg-017": """def anagrams(words):
    groups = {}
    for word in words:
        groups.setdefault("".join(sorted(word)), []).append(word)
    return list(groups.values())
""",
    "cg-018": """def running_max(values):
    out = []
    for value in values:
        out.append(value if not out else max(out[-1], value))
    return out
""",
    "cg-019": """import re


def to_snake(name):
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\\1_\\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2", name)
    return name.lower()
""",
    "cg-020": """def nth_fibonacci(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
""",
}
