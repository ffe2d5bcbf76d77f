"""The summarization sources: fictional reports built from one template with varied slots.

The first sentence of each paragraph carries a key fact; the rest is detail and distractors.
"""

from __future__ import annotations

# name, kind, place, founder, year, product, amount, unit, new_place, move_year, reason, extra
SLOTS: list[tuple[str, ...]] = [
    ("Orlen Works", "glassworks", "Pardale", "Mira Halden", "1903", "lamp lenses", "9,000",
     "lenses", "Covington", "1961", "a fire destroyed the old furnace hall", "Teodor Vask"),
    ("Bramwell Press", "printing house", "Kestwick", "Elias Brand", "1877", "railway timetables",
     "40,000", "copies", "Dunmere", "1930", "the railway company moved its offices", "Ada Frey"),
    ("Sennet Mills", "woollen mill", "Harrowgate", "Ruth Sennet", "1822", "blankets", "2,500",
     "bales", "Lowick", "1908", "the river weir collapsed", "Jonas Pike"),
    ("Calder Ropeworks", "ropeworks", "Saltney", "Owen Calder", "1851", "ship cables", "300",
     "cables", "Port Aske", "1899", "the shipyards moved downriver", "Nell Marr"),
    ("Ivory Lane Bakery", "bakery", "Fennick", "Greta Holm", "1948", "rye loaves", "1,200",
     "loaves", "Westmarch", "1987", "the lease on the first shop ended", "Piet Laan"),
    ("Tolland Clockmakers", "clock workshop", "Ambry", "Victor Tolland", "1795", "tower clocks",
     "40", "clocks", "Greywater", "1856", "a flood damaged the workshop", "Lotte Hanns"),
    ("Marsh Street Dairy", "dairy", "Cobbleford", "Hanna Voss", "1912", "cheese wheels", "6,000",
     "wheels", "Elmstead", "1972", "the town widened Marsh Street", "Arne Dahl"),
    ("Kite Hill Observatory", "observatory", "Ravensby", "Simon Kite", "1889", "star charts",
     "120", "charts", "Mount Orrel", "1950", "city lights spoiled the sky", "Clara Beck"),
    ("Pennyworth Foundry", "bell foundry", "Oxhaven", "Jacob Penn", "1760", "church bells", "25",
     "bells", "Thornbury", "1839", "the canal opened near Thornbury", "Mae Rudd"),
    ("Larkspur Ferries", "ferry company", "Gullhaven", "Ingrid Lark", "1921", "crossings",
     "3,000", "crossings", "Saltmouth", "1969", "the new harbour at Saltmouth opened",
     "Bram Olde"),
]


def source(slots: tuple[str, ...]) -> str:
    """The source text of one report."""
    (name, kind, place, founder, year, product, amount, unit, new_place, move_year, reason,
     extra) = slots
    return (
        f"{name}, a {kind} in {place}, was founded in {year} by {founder}. The first building "
        f"stood beside the market square, and local families supplied most of the early "
        f"workers. {founder} kept detailed ledgers that still survive in the {place} archive.\n\n"
        f"Its best-known products are {product}, and it made about {amount} {unit} a year at "
        f"its peak. Buyers came from neighbouring towns, and a travelling agent named {extra} "
        f"carried samples to the coast. Prices were set each spring at a meeting of the "
        f"partners.\n\n"
        f"In {move_year} {name} moved to {new_place} because {reason}. The move took most of a "
        f"year, and several older workers retired rather than leave {place}. The old site later "
        f"became a public garden."
    )


def key_facts(slots: tuple[str, ...]) -> list[str]:
    """The facts a summary must keep: founder, founding year, products, amount, new place."""
    return [slots[3], slots[4], slots[5], slots[6], slots[8]]
