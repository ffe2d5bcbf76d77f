"""``ref-solver``'s known fixes (bug_fixing) and findings (code_review), keyed by task id.

Written by the benchmark's authors: the solver's coding scores are a reference upper bound.
"""

from __future__ import annotations

# task id -> (file, buggy text, fixed text)
FIXES: dict[str, tuple[str, str, str]] = {
    "bf-001": ("stats.py", "/ (len(values) + 1)", "/ len(values)"),
    "bf-002": ("text.py", "words[len(words) - 2]", "words[-1]"),
    "bf-003": ("ranges.py", "list(range(start, stop))", "list(range(start, stop + 1))"),
    "bf-004": (
        "cart.py",
        "def add_item(item, cart=[]):\n",
        "def add_item(item, cart=None):\n    if cart is None:\n        cart = []\n",
    ),
    "bf-005": ("grades.py", "if score > 80:", "if score >= 80:"),
    "bf-006": ("counter.py", "in text if", "in text.lower() if"),
    "bf-007": ("search.py", "while lo < hi:", "while lo <= hi:"),
    "bf-008": ("temperature.py", "(celsius + 32) * 9 / 5", "celsius * 9 / 5 + 32"),
    "bf-009": ("dedupe.py", "out.append(item)", "seen.add(item)\n            out.append(item)"),
    "bf-010": ("words.py", "w[:1].upper() + w[2:]", "w[:1].upper() + w[1:]"),
    "bf-011": ("matrix.py", "matrix[i][0]", "matrix[i][i]"),
    "bf-012": ("parse.py", "part.split('=')", "part.split('=', 1)"),
    "bf-013": ("factorial.py", "range(2, n)", "range(2, n + 1)"),
    "bf-014": ("clamp.py", "min(low, max(value, high))", "max(low, min(value, high))"),
    "bf-015": ("median.py", "ordered = list(values)", "ordered = sorted(values)"),
}

# task id -> [(line, category, message)]
FINDINGS: dict[str, list[tuple[int, str, str]]] = {
    "cr-001": [(6, "security", "SQL built with an f-string: injection; use a parameter")],
    "cr-002": [(5, "security", "eval of configuration text runs arbitrary code")],
    "cr-003": [(1, "bug", "mutable default argument shared between calls")],
    "cr-004": [(4, "performance", "membership tests on lists make this quadratic; use sets")],
    "cr-005": [(5, "security", "shell=True with a concatenated path: command injection")],
    "cr-006": [(5, "bug", "division by zero on an empty list")],
    "cr-007": [(1, "security", "hard-coded secret token in source")],
    "cr-008": [(2, "bug", "file opened without being closed; use a with block")],
    "cr-009": [(4, "performance", "repeated string concatenation in a loop; use join")],
    "cr-010": [(6, "security", "unpickling client-controlled data runs arbitrary code")],
    "cr-011": [(3, "bug", "range end len(items) + 1 indexes past the end")],
    "cr-012": [(5, "security", "MD5 without salt is unsuitable for passwords")],
    "cr-013": [(2, "bug", "'is' compares identity, not string equality")],
    "cr-014": [(4, "performance", "exponential recursion without memoisation")],
    "cr-015": [
        (5, "security", "name may contain '..' or be absolute: path traversal"),
        (8, "bug", "bare except hides every error, even KeyboardInterrupt"),
    ],
}
