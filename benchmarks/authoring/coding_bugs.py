# ruff: noqa: E501 - task data: test sources read best unwrapped
"""The 15 bug_fixing tasks: a correct module, the bug planted in it, the symptom, tests.

The workspace gets the buggy module; the hidden tests import the fixed one from the workspace.
``ref-solver`` knows each (buggy, fixed) pair (``atp_core/agents/_reference_code_fixes.py``).
"""

from __future__ import annotations

# (id, file, correct source, fixed fragment, buggy fragment, symptom, hidden tests)
BUGS: list[tuple[str, str, str, str, str, str, str]] = [
    ("bf-001", "stats.py",
     "def mean(values):\n    return sum(values) / len(values)\n",
     "/ len(values)", "/ (len(values) + 1)",
     "mean([2, 4]) returns 2.0 instead of 3.0.",
     "from stats import mean\ndef test_mean():\n    assert mean([2, 4]) == 3.0\n"
     "def test_one():\n    assert mean([5]) == 5.0\n"),
    ("bf-002", "text.py",
     "def last_word(sentence):\n    words = sentence.split()\n    return words[-1] if words else ''\n",
     "words[-1]", "words[len(words) - 2]",
     "last_word('one two three') returns 'two'.",
     "from text import last_word\ndef test_last():\n    assert last_word('one two three') == 'three'\n"
     "def test_single():\n    assert last_word('solo') == 'solo'\n"
     "def test_empty():\n    assert last_word('') == ''\n"),
    ("bf-003", "ranges.py",
     "def inclusive_range(start, stop):\n    return list(range(start, stop + 1))\n",
     "list(range(start, stop + 1))", "list(range(start, stop))",
     "inclusive_range(1, 3) returns [1, 2] instead of [1, 2, 3].",
     "from ranges import inclusive_range\ndef test_range():\n    assert inclusive_range(1, 3) == [1, 2, 3]\n"
     "def test_single():\n    assert inclusive_range(4, 4) == [4]\n"),
    ("bf-004", "cart.py",
     "def add_item(item, cart=None):\n    if cart is None:\n        cart = []\n"
     "    cart.append(item)\n    return cart\n",
     "def add_item(item, cart=None):\n    if cart is None:\n        cart = []\n",
     "def add_item(item, cart=[]):\n",
     "Two separate calls add_item('a') and add_item('b') share one list: the second returns "
     "['a', 'b'].",
     "from cart import add_item\ndef test_fresh_lists():\n    assert add_item('a') == ['a']\n"
     "    assert add_item('b') == ['b']\n"
     "def test_given_cart():\n    assert add_item('c', ['x']) == ['x', 'c']\n"),
    ("bf-005", "grades.py",
     "def grade(score):\n    if score >= 90:\n        return 'A'\n    if score >= 80:\n"
     "        return 'B'\n    if score >= 70:\n        return 'C'\n    return 'F'\n",
     "if score >= 80:", "if score > 80:",
     "grade(80) returns 'C' instead of 'B'.",
     "from grades import grade\ndef test_bounds():\n"
     "    assert [grade(s) for s in (95, 90, 85, 80, 70, 69)] == ['A', 'A', 'B', 'B', 'C', 'F']\n"),
    ("bf-006", "counter.py",
     "def count_vowels(text):\n    return sum(1 for c in text.lower() if c in 'aeiou')\n",
     "in text.lower() if", "in text if",
     "count_vowels('AEIOU') returns 0 instead of 5.",
     "from counter import count_vowels\ndef test_upper():\n    assert count_vowels('AEIOU') == 5\n"
     "def test_mixed():\n    assert count_vowels('Banana') == 3\n"),
    ("bf-007", "search.py",
     "def find_index(items, target):\n    lo, hi = 0, len(items) - 1\n    while lo <= hi:\n"
     "        mid = (lo + hi) // 2\n        if items[mid] == target:\n            return mid\n"
     "        if items[mid] < target:\n            lo = mid + 1\n        else:\n"
     "            hi = mid - 1\n    return -1\n",
     "while lo <= hi:", "while lo < hi:",
     "find_index([1, 3, 5], 5) returns -1 although 5 is present.",
     "from search import find_index\ndef test_all_found():\n    items = [1, 3, 5, 7, 9, 11]\n"
     "    assert [find_index(items, x) for x in items] == list(range(6))\n"
     "def test_single():\n    assert find_index([4], 4) == 0\n"
     "def test_absent():\n    assert find_index([1, 3], 2) == -1\n"),
    ("bf-008", "temperature.py",
     "def to_fahrenheit(celsius):\n    return celsius * 9 / 5 + 32\n",
     "celsius * 9 / 5 + 32", "(celsius + 32) * 9 / 5",
     "to_fahrenheit(100) returns 237.6 instead of 212.0.",
     "from temperature import to_fahrenheit\ndef test_boiling():\n    assert to_fahrenheit(100) == 212.0\n"
     "def test_freezing():\n    assert to_fahrenheit(0) == 32.0\n"
     "def test_minus_forty():\n    assert to_fahrenheit(-40) == -40.0\n"),
    ("bf-009", "dedupe.py",
     "def dedupe(items):\n    seen = set()\n    out = []\n    for item in items:\n"
     "        if item not in seen:\n            seen.add(item)\n            out.append(item)\n"
     "    return out\n",
     "seen.add(item)\n            out.append(item)", "out.append(item)",
     "dedupe([1, 1, 2]) returns [1, 1, 2]; duplicates are kept.",
     "from dedupe import dedupe\ndef test_order_kept():\n    assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]\n"
     "def test_empty():\n    assert dedupe([]) == []\n"),
    ("bf-010", "words.py",
     "def capitalize_words(text):\n    return ' '.join(w[:1].upper() + w[1:] for w in text.split(' '))\n",
     "w[:1].upper() + w[1:]", "w[:1].upper() + w[2:]",
     "capitalize_words('hello world') returns 'Hllo Wrld'.",
     "from words import capitalize_words\ndef test_words():\n"
     "    assert capitalize_words('hello world') == 'Hello World'\n"
     "def test_single_letters():\n    assert capitalize_words('a b') == 'A B'\n"),
    ("bf-011", "matrix.py",
     "def diagonal_sum(matrix):\n    return sum(matrix[i][i] for i in range(len(matrix)))\n",
     "matrix[i][i]", "matrix[i][0]",
     "diagonal_sum([[1, 2], [3, 4]]) returns 4 instead of 5.",
     "from matrix import diagonal_sum\ndef test_two():\n    assert diagonal_sum([[1, 2], [3, 4]]) == 5\n"
     "def test_three():\n    assert diagonal_sum([[1, 0, 0], [0, 5, 0], [7, 0, 9]]) == 15\n"),
    ("bf-012", "parse.py",
     "def parse_pairs(text):\n    out = {}\n    for part in text.split(';'):\n"
     "        if part.strip():\n            key, value = part.split('=', 1)\n"
     "            out[key.strip()] = value.strip()\n    return out\n",
     "part.split('=', 1)", "part.split('=')",
     "parse_pairs('url=a=b') raises ValueError; values may contain '='.",
     "from parse import parse_pairs\ndef test_equals_in_value():\n"
     "    assert parse_pairs('url=a=b; x = 1') == {'url': 'a=b', 'x': '1'}\n"
     "def test_trailing():\n    assert parse_pairs('a=1;') == {'a': '1'}\n"),
    ("bf-013", "factorial.py",
     "def factorial(n):\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n"
     "    return result\n",
     "range(2, n + 1)", "range(2, n)",
     "factorial(5) returns 24 instead of 120.",
     "from factorial import factorial\ndef test_values():\n"
     "    assert [factorial(n) for n in range(6)] == [1, 1, 2, 6, 24, 120]\n"),
    ("bf-014", "clamp.py",
     "def clamp(value, low, high):\n    return max(low, min(value, high))\n",
     "max(low, min(value, high))", "min(low, max(value, high))",
     "clamp(5, 0, 10) returns 0 instead of 5.",
     "from clamp import clamp\ndef test_inside():\n    assert clamp(5, 0, 10) == 5\n"
     "def test_outside():\n    assert clamp(-3, 0, 10) == 0 and clamp(42, 0, 10) == 10\n"),
    ("bf-015", "median.py",
     "def median(values):\n    ordered = sorted(values)\n    mid = len(ordered) // 2\n"
     "    if len(ordered) % 2:\n        return ordered[mid]\n"
     "    return (ordered[mid - 1] + ordered[mid]) / 2\n",
     "ordered = sorted(values)", "ordered = list(values)",
     "median([3, 1, 2]) returns 1 instead of 2.",
     "from median import median\ndef test_odd():\n    assert median([3, 1, 2]) == 2\n"
     "def test_even():\n    assert median([4, 1, 3, 2]) == 2.5\n"),
]
