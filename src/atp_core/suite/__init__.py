"""Load and check suite files (SPEC §2), and select tests by tag.

``load_suite`` reports every problem of a file at once, each at its ``file:line:col``.
"""

from atp_core.suite._load import load_suite, load_suite_text
from atp_core.suite._subst import SubstitutionError, substitute
from atp_core.suite._tags import TagFilter, parse_tag_expr

__all__ = [
    "SubstitutionError",
    "TagFilter",
    "load_suite",
    "load_suite_text",
    "parse_tag_expr",
    "substitute",
]
