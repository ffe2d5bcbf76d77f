# ruff: noqa: E501 - task data: test sources read best unwrapped
"""The 20 code_generation tasks: the function asked for and its hidden tests.

The reference solutions are not here: they are ``ref-solver``'s known-solution table in
``atp_core/agents/_reference_code_table.py``.
"""

from __future__ import annotations

# (id, function, specification, hidden tests)
TASKS: list[tuple[str, str, str, str]] = [
    ("cg-001", "is_palindrome(text: str) -> bool",
     "True when text reads the same backwards, ignoring case and every character that is not "
     "a letter or digit.",
     "from solution import is_palindrome\n"
     "def test_simple():\n    assert is_palindrome('racecar')\n"
     "def test_mixed():\n    assert is_palindrome('A man, a plan, a canal: Panama!')\n"
     "def test_not():\n    assert not is_palindrome('palindrome')\n"
     "def test_empty():\n    assert is_palindrome('')\n"),
    ("cg-002", "fizzbuzz(n: int) -> list[str]",
     "The strings for 1..n: 'Fizz' for multiples of 3, 'Buzz' for multiples of 5, 'FizzBuzz' "
     "for multiples of both, else the number as text.",
     "from solution import fizzbuzz\n"
     "def test_first():\n    assert fizzbuzz(5) == ['1', '2', 'Fizz', '4', 'Buzz']\n"
     "def test_fifteen():\n    assert fizzbuzz(15)[-1] == 'FizzBuzz'\n"
     "def test_zero():\n    assert fizzbuzz(0) == []\n"),
    ("cg-003", "word_counts(text: str) -> dict[str, int]",
     "How often each word occurs; words are maximal runs of letters, compared lowercased.",
     "from solution import word_counts\n"
     "def test_counts():\n    assert word_counts('The cat and the hat.') == "
     "{'the': 2, 'cat': 1, 'and': 1, 'hat': 1}\n"
     "def test_digits_split():\n    assert word_counts('a1b a') == {'a': 2, 'b': 1}\n"
     "def test_empty():\n    assert word_counts('') == {}\n"),
    ("cg-004", "flatten(items: list) -> list",
     "A flat list of the non-list values of arbitrarily nested lists, in order.",
     "from solution import flatten\n"
     "def test_nested():\n    assert flatten([1, [2, [3, [4]], 5]]) == [1, 2, 3, 4, 5]\n"
     "def test_empty_lists():\n    assert flatten([[], [[]], 7]) == [7]\n"
     "def test_strings_stay():\n    assert flatten(['ab', ['c']]) == ['ab', 'c']\n"),
    ("cg-005", "roman(n: int) -> str",
     "The Roman numeral of n, for 1 <= n <= 3999, in standard subtractive form.",
     "from solution import roman\n"
     "def test_small():\n    assert [roman(i) for i in (1, 4, 9, 14)] == ['I', 'IV', 'IX', 'XIV']\n"
     "def test_large():\n    assert roman(1994) == 'MCMXCIV'\n"
     "def test_max():\n    assert roman(3999) == 'MMMCMXCIX'\n"),
    ("cg-006", "from_roman(text: str) -> int",
     "The integer value of a standard Roman numeral.",
     "from solution import from_roman\n"
     "def test_values():\n    assert from_roman('MCMXCIV') == 1994\n"
     "def test_small():\n    assert from_roman('IV') == 4 and from_roman('LVIII') == 58\n"),
    ("cg-007", "chunk(items: list, size: int) -> list[list]",
     "items split into consecutive lists of length size (the last may be shorter); raise "
     "ValueError when size < 1.",
     "import pytest\nfrom solution import chunk\n"
     "def test_chunks():\n    assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]\n"
     "def test_empty():\n    assert chunk([], 3) == []\n"
     "def test_bad_size():\n    with pytest.raises(ValueError):\n        chunk([1], 0)\n"),
    ("cg-008", "rle_encode(text: str) -> str",
     "Run-length encoding: each run of a character as count then character, e.g. 'aaab' -> "
     "'3a1b'.",
     "from solution import rle_encode\n"
     "def test_runs():\n    assert rle_encode('aaabccdddd') == '3a1b2c4d'\n"
     "def test_empty():\n    assert rle_encode('') == ''\n"
     "def test_long_run():\n    assert rle_encode('x' * 12) == '12x'\n"),
    ("cg-009", "rle_decode(text: str) -> str",
     "The inverse of run-length encoding: '3a1b' -> 'aaab' (counts may have several digits).",
     "from solution import rle_decode\n"
     "def test_decode():\n    assert rle_decode('3a1b2c') == 'aaabcc'\n"
     "def test_multi_digit():\n    assert rle_decode('12x1y') == 'x' * 12 + 'y'\n"),
    ("cg-010", "primes_up_to(n: int) -> list[int]",
     "Every prime p with 2 <= p <= n, ascending.",
     "from solution import primes_up_to\n"
     "def test_thirty():\n    assert primes_up_to(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]\n"
     "def test_small():\n    assert primes_up_to(1) == [] and primes_up_to(2) == [2]\n"
     "def test_count():\n    assert len(primes_up_to(10000)) == 1229\n"),
    ("cg-011", "merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]",
     "Merge overlapping or touching closed intervals; return them sorted by start.",
     "from solution import merge_intervals\n"
     "def test_merge():\n    assert merge_intervals([(5, 7), (1, 3), (2, 4)]) == [(1, 4), (5, 7)]\n"
     "def test_touching():\n    assert merge_intervals([(1, 2), (2, 3)]) == [(1, 3)]\n"
     "def test_empty():\n    assert merge_intervals([]) == []\n"),
    ("cg-012", "balanced(text: str) -> bool",
     "True when the brackets ()[]{} in text are balanced and properly nested; other "
     "characters are ignored.",
     "from solution import balanced\n"
     "def test_ok():\n    assert balanced('f(a[1]) {x}')\n"
     "def test_crossed():\n    assert not balanced('([)]')\n"
     "def test_open():\n    assert not balanced('((')\n"
     "def test_close_first():\n    assert not balanced(')(')\n"),
    ("cg-013", "caesar(text: str, shift: int) -> str",
     "Shift every ASCII letter by shift places in the alphabet (wrapping, keeping case); other "
     "characters unchanged. shift may be negative or larger than 26.",
     "from solution import caesar\n"
     "def test_shift():\n    assert caesar('Hello, World!', 3) == 'Khoor, Zruog!'\n"
     "def test_wrap():\n    assert caesar('xyz', 29) == 'abc'\n"
     "def test_negative():\n    assert caesar('abc', -1) == 'zab'\n"),
    ("cg-014", "binary_search(items: list[int], target: int) -> int",
     "The index of target in the ascending list items, or -1 when it is absent.",
     "from solution import binary_search\n"
     "def test_found():\n    assert binary_search([1, 3, 5, 7, 9], 7) == 3\n"
     "def test_absent():\n    assert binary_search([1, 3, 5], 4) == -1\n"
     "def test_edges():\n    assert binary_search([2], 2) == 0 and binary_search([], 2) == -1\n"
     "def test_large():\n    items = list(range(0, 200000, 2))\n"
     "    assert binary_search(items, 123456) == 61728\n"),
    ("cg-015", "transpose(matrix: list[list[int]]) -> list[list[int]]",
     "The transpose of a rectangular matrix (a list of rows).",
     "from solution import transpose\n"
     "def test_rect():\n    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]\n"
     "def test_empty():\n    assert transpose([]) == []\n"),
    ("cg-016", "digit_sum(n: int) -> int",
     "The sum of the decimal digits of abs(n).",
     "from solution import digit_sum\n"
     "def test_sum():\n    assert digit_sum(9875) == 29\n"
     "def test_negative():\n    assert digit_sum(-406) == 10\n"
     "def test_zero():\n    assert digit_sum(0) == 0\n"),
    ("cg-017", "anagrams(words: list[str]) -> list[list[str]]",
     "Group words that are anagrams of each other; each group keeps the input order and the "
     "groups are ordered by their first word's position.",
     "from solution import anagrams\n"
     "def test_groups():\n    assert anagrams(['listen', 'google', 'silent', 'enlist', 'gogole']) "
     "== [['listen', 'silent', 'enlist'], ['google', 'gogole']]\n"
     "def test_single():\n    assert anagrams(['a']) == [['a']]\n"),
    ("cg-018", "running_max(values: list[int]) -> list[int]",
     "For each position, the largest value seen so far.",
     "from solution import running_max\n"
     "def test_values():\n    assert running_max([3, 1, 4, 1, 5, 2]) == [3, 3, 4, 4, 5, 5]\n"
     "def test_empty():\n    assert running_max([]) == []\n"),
    ("cg-019", "to_snake(name: str) -> str",
     "Convert a CamelCase or camelCase identifier to snake_case; runs of capitals stay one "
     "word ('HTTPServer' -> 'http_server').",
     "from solution import to_snake\n"
     "def test_camel():\n    assert to_snake('camelCaseName') == 'camel_case_name'\n"
     "def test_pascal():\n    assert to_snake('ParseJSONFile') == 'parse_json_file'\n"
     "def test_acronym():\n    assert to_snake('HTTPServer') == 'http_server'\n"),
    ("cg-020", "nth_fibonacci(n: int) -> int",
     "The n-th Fibonacci number with F(0) = 0 and F(1) = 1; must be fast for n up to 10000.",
     "from solution import nth_fibonacci\n"
     "def test_small():\n    assert [nth_fibonacci(i) for i in range(8)] == [0, 1, 1, 2, 3, 5, 8, 13]\n"
     "def test_large():\n    assert nth_fibonacci(300) == 222232244629420445529739893461909967206666939096499764990979600\n"
     "def test_huge_is_fast():\n    assert len(str(nth_fibonacci(10000))) == 2090\n"),
]
