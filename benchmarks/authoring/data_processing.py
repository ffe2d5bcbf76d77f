"""Authoring of the data_processing benchmarks: csv_transform (10) and json_extraction (10).

Expected outputs are computed here from the task's parameters, so each is exact.
"""

from __future__ import annotations

import re
from typing import Any

from _common import ANSWER_FORMAT, answer_check, write_suite

VERSION = "1.0"

PRODUCTS = """id,name,category,price,stock
1,anvil,tools,120,4
2,bolt,hardware,2,500
3,chisel,tools,18,35
4,drill,tools,95,12
5,elbow,plumbing,7,140
6,faucet,plumbing,64,20
7,gasket,plumbing,3,310
8,hammer,tools,25,60
9,hinge,hardware,6,220
10,jigsaw,tools,88,9
11,knob,hardware,4,180
12,ladder,tools,150,6
"""

EMPLOYEES = """id,name,department,salary,start_year
1,Ito,sales,52000,2015
2,Jones,engineering,91000,2012
3,Kaur,engineering,87000,2019
4,Lopez,support,43000,2021
5,Meyer,sales,61000,2011
6,Nakamura,engineering,99000,2009
7,Okafor,support,47000,2017
8,Petrov,sales,58000,2020
9,Quinn,finance,73000,2014
10,Rossi,finance,69000,2018
11,Singh,support,45000,2016
12,Tanaka,engineering,83000,2022
"""

FORMAT = ("Write the result to output.csv in the workspace: a header row, then one row per "
          "result, comma-separated, no quoting, no spaces, newline line endings, numbers as "
          "integers. Break ties by id in ascending order.")


def _rows(text: str) -> list[dict[str, str]]:
    header, *lines = text.strip().split("\n")
    keys = header.split(",")
    return [dict(zip(keys, line.split(","), strict=True)) for line in lines]


def _value(row: dict[str, str], col: str) -> Any:
    raw = row[col]
    return int(raw) if re.fullmatch(r"-?\d+", raw) else raw


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    lines = [",".join(columns)] + [",".join(str(r[c]) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def filter_sort(table: str, where: tuple[str, str, Any], by: str, desc: bool,
                columns: list[str]) -> tuple[str, str]:
    """Keep rows by a condition, sort, project; return (instruction, expected CSV)."""
    col, op, value = where
    test = {"is greater than": lambda v: v > value, "is less than": lambda v: v < value,
            "equals": lambda v: v == value}[op]
    rows = [r for r in _rows(table) if test(_value(r, col))]
    rows.sort(key=lambda r: int(r["id"]))
    rows.sort(key=lambda r: _value(r, by), reverse=desc)
    text = (f"Keep the rows where {col} {op} {value}, sort them by {by} in "
            f"{'descending' if desc else 'ascending'} order, and keep the columns "
            f"{', '.join(columns)}.")
    return text, _csv(columns, [{c: _value(r, c) for c in columns} for r in rows])


def group_total(table: str, by: str, total: str) -> tuple[str, str]:
    """Sum a column per group, groups in ascending order."""
    sums: dict[Any, int] = {}
    for r in _rows(table):
        sums[_value(r, by)] = sums.get(_value(r, by), 0) + int(r[total])
    rows = [{by: k, "total": v} for k, v in sorted(sums.items())]
    text = (f"Group the rows by {by} and compute the total of {total} for each group; sort "
            f"the groups by {by} in ascending order. The output columns are {by} and total.")
    return text, _csv([by, "total"], rows)


def product_column(table: str, new: str, a: str, b: str, columns: list[str],
                   top: int) -> tuple[str, str]:
    """A computed column, sorted descending, the first ``top`` rows."""
    rows = [{**{c: _value(r, c) for c in r}, new: int(r[a]) * int(r[b])} for r in _rows(table)]
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: r[new], reverse=True)
    text = (f"Add a column {new} equal to {a} multiplied by {b}, sort the rows by {new} in "
            f"descending order, keep only the first {top} rows, and keep the columns "
            f"{', '.join([*columns, new])}.")
    return text, _csv([*columns, new], rows[:top])


def csv_transform() -> None:
    """10 CSV transformations with exact expected files."""
    cases = [
        ("products", PRODUCTS, filter_sort(PRODUCTS, ("price", "is greater than", 20), "price",
                                           False, ["name", "price"])),
        ("products", PRODUCTS, filter_sort(PRODUCTS, ("category", "equals", "plumbing"),
                                           "stock", True, ["id", "name", "stock"])),
        ("products", PRODUCTS, group_total(PRODUCTS, "category", "stock")),
        ("products", PRODUCTS, product_column(PRODUCTS, "value", "price", "stock",
                                              ["id", "name"], 5)),
        ("products", PRODUCTS, filter_sort(PRODUCTS, ("stock", "is less than", 40), "name",
                                           False, ["name", "category", "stock"])),
        ("employees", EMPLOYEES, filter_sort(EMPLOYEES, ("department", "equals", "engineering"),
                                             "salary", True, ["name", "salary"])),
        ("employees", EMPLOYEES, group_total(EMPLOYEES, "department", "salary")),
        ("employees", EMPLOYEES, filter_sort(EMPLOYEES, ("start_year", "is less than", 2016),
                                             "start_year", False, ["id", "name", "start_year"])),
        ("employees", EMPLOYEES, product_column(EMPLOYEES, "tenure_pay", "salary", "id",
                                                ["name"], 3)),
        ("employees", EMPLOYEES, filter_sort(EMPLOYEES, ("salary", "is greater than", 60000),
                                             "department", False, ["department", "name"])),
    ]
    tests = []
    for i, (table, data, (text, expected)) in enumerate(cases, start=1):
        pattern = r"\A" + re.escape(expected.rstrip("\n")) + r"\n?\Z"
        tests.append({
            "id": f"csv-{i:03d}",
            "name": f"{table}: {text.split(',')[0].lower()}",
            "tags": [table],
            "task": {
                "description": f"The CSV table in input_data.csv lists {table}. {text}\n\n"
                               f"{FORMAT}",
                "input_data": {"csv": data},
                "expected_artifacts": ["output.csv"],
            },
            "constraints": {"timeout_seconds": 30},
            "assertions": [
                {"type": "file_exists", "config": {"path": "output.csv"}, "critical": True},
                {"type": "file_contains", "config": {"path": "output.csv", "pattern": pattern,
                                                     "regex": True}, "critical": True},
            ],
        })
    write_suite("data_processing", "csv_transform", version=VERSION, tests=tests,
                description="Filter, sort, group, compute and project CSV tables; the output "
                            "file must match exactly.")


LIBRARY: dict[str, Any] = {
    "library": "Eastbrook Public Library",
    "branches": [
        {"code": "N", "address": {"street": "4 Mill Lane", "city": "Eastbrook"}},
        {"code": "S", "address": {"street": "19 Quay Road", "city": "Harwick"}},
    ],
    "books": [
        {"id": "b1", "title": "Salt and Stone", "author": "Mara Ellis", "year": 1994,
         "tags": ["history", "coast"], "copies": 3},
        {"id": "b2", "title": "The Quiet Engine", "author": "Tomas Reid", "year": 2008,
         "tags": ["technology"], "copies": 5},
        {"id": "b3", "title": "Northern Lanterns", "author": "Mara Ellis", "year": 2001,
         "tags": ["fiction", "coast"], "copies": 2},
        {"id": "b4", "title": "Counting Rivers", "author": "Ines Okoro", "year": 1987,
         "tags": ["science", "history"], "copies": 1},
        {"id": "b5", "title": "A Map of Small Things", "author": "Tomas Reid", "year": 2015,
         "tags": ["fiction"], "copies": 4},
        {"id": "b6", "title": "Glass Harbour", "author": "Mara Ellis", "year": 2019,
         "tags": ["fiction", "coast", "history"], "copies": 6},
        {"id": "b7", "title": "Field Notes on Moss", "author": "Ines Okoro", "year": 1999,
         "tags": ["science"], "copies": 2},
    ],
}

ORDERS: dict[str, Any] = {
    "shop": "Kettle & Co",
    "orders": [
        {"id": "o-101", "customer": "hana", "items": [
            {"sku": "K1", "quantity": 2, "unit_price": 30}, {"sku": "M4", "quantity": 1,
                                                              "unit_price": 12}]},
        {"id": "o-102", "customer": "ravi", "items": [
            {"sku": "T2", "quantity": 6, "unit_price": 4}]},
        {"id": "o-103", "customer": "hana", "items": [
            {"sku": "K2", "quantity": 1, "unit_price": 85}, {"sku": "T2", "quantity": 3,
                                                              "unit_price": 4}]},
        {"id": "o-104", "customer": "lena", "items": [
            {"sku": "M4", "quantity": 4, "unit_price": 12}]},
        {"id": "o-105", "customer": "hana", "items": [
            {"sku": "T9", "quantity": 10, "unit_price": 3}]},
        {"id": "o-106", "customer": "ravi", "items": [
            {"sku": "K1", "quantity": 1, "unit_price": 30}, {"sku": "K2", "quantity": 1,
                                                              "unit_price": 85}]},
    ],
}


def _order_total(order: dict[str, Any]) -> int:
    return sum(i["quantity"] * i["unit_price"] for i in order["items"])


def json_extraction() -> None:
    """10 questions about two JSON documents with exact answers."""
    books = LIBRARY["books"]
    orders = ORDERS["orders"]
    by_author: dict[str, int] = {}
    for b in books:
        by_author[b["author"]] = by_author.get(b["author"], 0) + 1
    by_customer: dict[str, int] = {}
    for o in orders:
        by_customer[o["customer"]] = by_customer.get(o["customer"], 0) + 1
    cases: list[tuple[dict[str, Any], str, Any]] = [
        (LIBRARY, "What is the title of the book with id b4?", "Counting Rivers"),
        (LIBRARY, "List the titles of the books published before 2002, in document order.",
         [b["title"] for b in books if b["year"] < 2002]),
        (LIBRARY, 'How many books have the tag "coast"?',
         sum("coast" in b["tags"] for b in books)),
        (LIBRARY, "What is the total number of copies of the books by Mara Ellis?",
         sum(b["copies"] for b in books if b["author"] == "Mara Ellis")),
        (LIBRARY, "Which author has the most books?", max(by_author, key=by_author.__getitem__)),
        (LIBRARY, "What is the value at the JSON path $.branches[1].address.city?", "Harwick"),
        (LIBRARY, "List the distinct tags of all books, sorted alphabetically.",
         sorted({t for b in books for t in b["tags"]})),
        (ORDERS, "List the ids of the orders whose total (the sum of quantity times "
                 "unit_price over their items) exceeds 60, in document order.",
         [o["id"] for o in orders if _order_total(o) > 60]),
        (ORDERS, "What is the sum of quantity times unit_price over every item of every order?",
         sum(_order_total(o) for o in orders)),
        (ORDERS, "Which customer placed the most orders?",
         max(by_customer, key=by_customer.__getitem__)),
    ]
    tests = []
    for i, (doc, question, expected) in enumerate(cases, start=1):
        tests.append({
            "id": f"json-{i:03d}",
            "name": question.rstrip("?."),
            "tags": ["library" if doc is LIBRARY else "orders"],
            "task": {
                "description": f"input_data.document holds a JSON document. {question}\n\n"
                               f"{ANSWER_FORMAT}",
                "input_data": {"document": doc},
            },
            "constraints": {"timeout_seconds": 30},
            "assertions": [answer_check(expected)],
        })
    write_suite("data_processing", "json_extraction", version=VERSION, tests=tests,
                description="Extract, count and aggregate values from JSON documents; answers "
                            "are checked exactly.")


if __name__ == "__main__":
    csv_transform()
    json_extraction()
