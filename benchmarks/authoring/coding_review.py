"""The 15 code_review tasks: code with planted issues, marked ``#!category`` at their lines.

The markers are stripped before the code is given to the agent; they only record which line
holds which issue. ``ref-solver`` knows the findings (``_reference_code_fixes.FINDINGS``).
"""

from __future__ import annotations

import re

CATEGORIES = ("bug", "security", "performance")

SNIPPETS: list[tuple[str, str]] = [
    ("cr-001", """import sqlite3


def find_user(db, name):
    cursor = db.cursor()
    cursor.execute(f"SELECT id, email FROM users WHERE name = '{name}'")  #!security
    return cursor.fetchone()
"""),
    ("cr-002", """def parse_config(text):
    settings = {}
    for line in text.splitlines():
        key, value = line.split("=", 1)
        settings[key] = eval(value)  #!security
    return settings
"""),
    ("cr-003", """def append_log(entry, log=[]):  #!bug
    log.append(entry)
    return log
"""),
    ("cr-004", """def common_ids(left, right):
    shared = []
    for item in left:
        if item in right and item not in shared:  #!performance
            shared.append(item)
    return shared


def load(ids_text):
    return [int(x) for x in ids_text.split(",")]
"""),
    ("cr-005", """import subprocess


def archive(folder):
    subprocess.run("tar czf backup.tgz " + folder, shell=True, check=True)  #!security
"""),
    ("cr-006", """def average(values):
    total = 0
    for value in values:
        total += value
    return total / len(values)  #!bug
"""),
    ("cr-007", """API_TOKEN = "sk-live-4f9a8b7c6d5e"  #!security


def headers():
    return {"Authorization": f"Bearer {API_TOKEN}"}
"""),
    ("cr-008", """def read_numbers(path):
    handle = open(path)  #!bug
    numbers = [int(line) for line in handle]
    return numbers
"""),
    ("cr-009", """def build_report(rows):
    report = ""
    for row in rows:
        report = report + ",".join(row) + "\\n"  #!performance
    return report
"""),
    ("cr-010", """import pickle


def load_session(request):
    blob = request.cookies["session"]
    return pickle.loads(bytes.fromhex(blob))  #!security
"""),
    ("cr-011", """def last_items(items, n):
    result = []
    for i in range(len(items) - n, len(items) + 1):  #!bug
        result.append(items[i])
    return result
"""),
    ("cr-012", """import hashlib


def store_password(db, user, password):
    digest = hashlib.md5(password.encode()).hexdigest()  #!security
    db.save(user, digest)
"""),
    ("cr-013", """def is_admin(user):
    if user.role is "admin":  #!bug
        return True
    return False
"""),
    ("cr-014", """def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)  #!performance


def fib_table(count):
    return [fib(i) for i in range(count)]
"""),
    ("cr-015", """import os


def safe_delete(base, name):
    path = os.path.join(base, name)  #!security
    try:
        os.remove(path)
    except:  #!bug
        pass
"""),
]

_MARK = re.compile(r"\s*#!(\w+)$")


def strip_marks(code: str) -> tuple[str, list[tuple[int, str]]]:
    """The code without markers and the (line, category) of each marked line."""
    lines, found = [], []
    for number, line in enumerate(code.splitlines(), start=1):
        if m := _MARK.search(line):
            assert m.group(1) in CATEGORIES, m.group(1)
            found.append((number, m.group(1)))
            line = line[: m.start()]
        lines.append(line)
    return "\n".join(lines) + "\n", found
