"""The web_research corpus: fictional encyclopedia pages, so no agent can know the answers.

Each page: a title, two paragraphs and a Facts list. Questions ask for a fact of an entity.
"""

from __future__ import annotations

# file -> (title, prose, facts)
PAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "varenholm-observatory.md": (
        "Varenholm Observatory",
        "The Varenholm Observatory stands on the Kessel ridge above the town of Brannock. It was "
        "built with money raised by the Brannock Astronomical Society after a comet sighting.\n\n"
        "Its main instrument is a refractor ground by the optician Lise Auberg. The observatory "
        "is known for its long record of variable-star measurements.",
        {"Founded": "1874", "Founder": "Brannock Astronomical Society",
         "Main instrument": "a 61 cm refractor", "Lens maker": "Lise Auberg"},
    ),
    "halvorsen-bridge.md": (
        "Halvorsen Bridge",
        "The Halvorsen Bridge carries the coastal railway across the Tarn estuary. It replaced a "
        "ferry that was often stopped by winter ice.\n\n"
        "The bridge was designed by the engineer Oskar Pell and opened by the regional governor.",
        {"Opened": "1931", "Designer": "Oskar Pell", "Length": "1,140 metres",
         "Crosses": "the Tarn estuary"},
    ),
    "quillon-river.md": (
        "Quillon River",
        "The Quillon is a slow lowland river that rises in the Merrow hills and drains into Lake "
        "Sedna. Its lower course was straightened for barge traffic.\n\n"
        "Otters returned to the Quillon after the tanneries along its banks closed.",
        {"Source": "the Merrow hills", "Mouth": "Lake Sedna", "Length": "212 kilometres",
         "Main tributary": "the Ashby Brook"},
    ),
    "corvin-mae.md": (
        "Corvin Mae",
        "Corvin Mae is a composer best known for choral works written for the Eldmoor Cathedral "
        "choir. Mae studied in Vell under the organist Hana Torsk.\n\n"
        "The oratorio Lanterns of Ash won the Sorrel Prize and is performed every winter.",
        {"Born": "1952", "Birthplace": "Vell", "Teacher": "Hana Torsk",
         "Best-known work": "Lanterns of Ash"},
    ),
    "peltra-fruit.md": (
        "Peltra fruit",
        "The peltra is a citrus-like fruit grown on the terraces of the Orrin valley. Its rind is "
        "candied and its juice is fermented into a dry cider.\n\n"
        "Growers harvest peltra in late autumn, after the first frost sweetens the pulp.",
        {"Region": "the Orrin valley", "Harvest": "late autumn", "Colour": "pale green",
         "Main product": "dry cider"},
    ),
    "tessaly-station.md": (
        "Tessaly Station",
        "Tessaly Station is a polar research base on the Grell ice shelf. It is run by the "
        "Northern Survey Institute and hosts glaciologists through the year.\n\n"
        "The station was rebuilt on stilts after snowdrifts buried its first huts.",
        {"Established": "1968", "Operator": "Northern Survey Institute",
         "Winter crew": "14 people", "Location": "the Grell ice shelf"},
    ),
    "marrow-cup.md": (
        "Marrow Cup",
        "The Marrow Cup is a rowing race between the harbour clubs of Dunmere and Salk. The "
        "course runs from the old customs house to the lighthouse.\n\n"
        "Dunmere has won the cup more often, but Salk holds the course record.",
        {"First race": "1897", "Course length": "6.4 kilometres",
         "Record holder": "Salk Rowing Club", "Record time": "19 minutes 12 seconds"},
    ),
}

# (id, entity, attribute, answer)
QUESTIONS: list[tuple[str, str, str, str]] = [
    ("wr-001", "the Varenholm Observatory", "Founded", "1874"),
    ("wr-002", "the Varenholm Observatory", "Lens maker", "Lise Auberg"),
    ("wr-003", "the Halvorsen Bridge", "Designer", "Oskar Pell"),
    ("wr-004", "the Halvorsen Bridge", "Length", "1,140 metres"),
    ("wr-005", "the Quillon River", "Mouth", "Lake Sedna"),
    ("wr-006", "Corvin Mae", "Teacher", "Hana Torsk"),
    ("wr-007", "the peltra fruit", "Region", "the Orrin valley"),
    ("wr-008", "Tessaly Station", "Winter crew", "14 people"),
    ("wr-009", "the Marrow Cup", "Record holder", "Salk Rowing Club"),
    ("wr-010", "Corvin Mae", "Best-known work", "Lanterns of Ash"),
]
