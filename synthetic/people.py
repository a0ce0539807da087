"""A synthetic safeguarding caseload: the people every template, scan and test is built from.

Real caseloads are full of names that break naive software (accents, apostrophes, hyphens,
Vietnamese tone marks, Irish prefixes with spaces), so the first people generated always carry
those names; the rest are drawn from common UK names. Everything is derived from the seed, so the
same call always produces the same caseload.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

PREFIXES = ("SGD", "CSC", "DSA")

# The awkward names come first so that even a caseload of ten exercises them.
_FEATURED: tuple[tuple[str, str], ...] = (
    ("Zoë", "O'Brien"),
    ("Siobhán", "Ó Súilleabháin"),
    ("Agnieszka", "Nowak-Kowalska"),
    ("Minh", "Nguyễn"),
    ("Chloé", "Fitzgerald-Hughes"),
    ("Seán", "D'Souza"),
    ("Aoife", "MacDonald"),
    ("Renée", "Ó Briain"),
)

_FORENAMES = (
    "Oliver",
    "Amelia",
    "Jack",
    "Olivia",
    "Noah",
    "Isla",
    "Harry",
    "Ava",
    "Muhammad",
    "Priya",
    "Kwame",
    "Tomasz",
    "Grace",
    "Leo",
    "Freya",
    "Oscar",
    "Lily",
    "Jacob",
    "Evie",
    "Charlie",
    "Sophie",
    "Thomas",
    "Emily",
    "George",
    "Mia",
    "Aisha",
    "Callum",
    "Niamh",
    "Dylan",
    "Ellie",
    "Ibrahim",
    "Hannah",
    "Kacper",
    "Maja",
    "Reece",
    "Jade",
    "Kieran",
    "Shannon",
    "Daniel",
    "Ruby",
    "Zoë",
    "Siobhán",
    "Chloé",
    "Seán",
    "Anaïs",
    "Bartłomiej",
    "Ciarán",
    "Éabha",
    "Jo-Ann",
    "Mary-Kate",
)
_SURNAMES = (
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Roberts",
    "Johnson",
    "Patel",
    "Khan",
    "Ahmed",
    "Murphy",
    "Kelly",
    "Campbell",
    "Okafor",
    "Kowalski",
    "Begum",
    "Hussain",
    "Singh",
    "Ali",
    "Wright",
    "Walker",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Clarke",
    "Turner",
    "Hill",
    "Scott",
    "Cooper",
    "Morris",
    "Ward",
    "Moore",
    "King",
    "Baker",
    "Morgan",
    "Mensah",
    "O'Brien",
    "O'Neill",
    "Ó Súilleabháin",
    "Nowak-Kowalska",
    "Nguyễn",
    "Lloyd-Jones",
    "Wiśniewski",
    "Öztürk",
    "McAllister",
    "Ní Bhriain",
    "Smith-Owusu",
    "D'Arcy",
)


@dataclass(frozen=True)
class Person:
    """One row of the migration template: a case and the person it is about."""

    case_reference: str
    forename: str
    surname: str
    date_of_birth: date
    status: str
    date_opened: date
    date_closed: date | None
    paper_file: bool
    excluded: bool

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _reference(rng: random.Random, year: int, taken: set[str]) -> str:
    """Mostly four digits, as most case systems issue, with some three-, five- and six-digit ones."""
    while True:
        digits = rng.choices((3, 4, 5, 6), weights=(1, 6, 2, 1))[0]
        number = rng.randrange(10 ** (digits - 1), 10**digits)
        reference = f"{rng.choice(PREFIXES)}-{year}-{number:0{digits}d}"
        if reference not in taken:
            taken.add(reference)
            return reference


def make_people(count: int, seed: int = 0) -> list[Person]:
    """Return `count` people with unique references; about one in twenty is on the excluded list."""
    rng = random.Random(f"people-{seed}")
    taken: set[str] = set()
    excluded = set(rng.sample(range(count), k=max(1, count // 20))) if count >= 5 else set()
    people: list[Person] = []
    for index in range(count):
        if index < len(_FEATURED):
            forename, surname = _FEATURED[index]
        else:
            forename, surname = rng.choice(_FORENAMES), rng.choice(_SURNAMES)
        opened = _random_date(rng, date(2012, 1, 1), date(2024, 12, 31))
        closed = rng.random() < 0.4
        date_closed = _random_date(rng, opened + timedelta(days=30), date(2025, 3, 31)) if closed else None
        people.append(
            Person(
                case_reference=_reference(rng, opened.year, taken),
                forename=forename,
                surname=surname,
                date_of_birth=_random_date(rng, date(1938, 1, 1), min(opened, date(2020, 12, 31))),
                status="Closed" if closed else "Open",
                date_opened=opened,
                date_closed=date_closed,
                paper_file=rng.random() < 0.65,
                excluded=index in excluded,
            )
        )
    return people
