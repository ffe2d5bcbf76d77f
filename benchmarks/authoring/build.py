"""Regenerate every benchmark suite from its authoring script: ``python build.py``.

Baselines are not generated here; they are measured by running the reference agents:
``python benchmarks/authoring/measure_baselines.py`` (which runs ``atp benchmark run CATEGORY
--agent builtin:ref-... --update-baseline`` for every category and reference agent).
"""

from __future__ import annotations

import coding
import data_processing
import reasoning
import research

if __name__ == "__main__":
    coding.code_generation()
    coding.bug_fixing()
    coding.code_review()
    research.web_research()
    research.summarization()
    reasoning.logical_reasoning()
    reasoning.mathematical()
    data_processing.csv_transform()
    data_processing.json_extraction()
