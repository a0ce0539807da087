"""The demo workspace's inbox: what a diocese's admin staff would have scanned in a first week.

Open paper files arrive as single scans and as a batch; closed front sheets arrive in folders named
after where the boxes are kept. Four covers are planted to show the service being careful: one
whose printed name belongs to someone else (it must go to review, not be linked), a case file that
opens with a letter rather than a front sheet (a letter may be about another case: review), one
with no reference filled in (unreadable), and one closed case the template does not hold
(catalogued with in_records = N).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from synthetic.people import Person, make_people
from synthetic.render import CoverSpec, Damage, ScanSpec, TruthScan, render_scan

LOCATIONS = (
    ("Diocesan House", "Basement Store", "Box 12"),
    ("Diocesan House", "Basement Store", "Box 13"),
    ("Old Deanery", "Attic", "Box 3"),
)


@dataclass(frozen=True)
class ClosedTruth:
    """A closed front sheet: the scan, the location its folders spell, and whether the template has it."""

    scan: TruthScan
    location: str
    in_records: bool


@dataclass(frozen=True)
class DemoTruth:
    """What the demo's inbox holds and what a correct run must conclude from it.

    `linked` are the references that must be linked automatically; `needs_review` those whose case
    file opens with a letter (first) or whose cover contradicts the record; `missing_scans` the open
    paper cases without an automatic link (so they appear as missing_scan until someone resolves
    them); `missing_catalogue` the closed paper cases without a front sheet.
    """

    open_scans: tuple[TruthScan, ...]
    closed: tuple[ClosedTruth, ...]
    linked: tuple[str, ...]
    needs_review: tuple[str, ...]
    unreadable: tuple[Path, ...]
    missing_scans: tuple[str, ...]
    missing_catalogue: tuple[str, ...]
    not_in_template: Person


def _outsider(people: Sequence[Person], seed: int) -> Person:
    """A closed paper case that never made it into the template."""
    known = {person.case_reference for person in people}
    candidates = make_people(len(people) + 20, seed + 7919)
    stranger = next(p for p in reversed(candidates) if p.case_reference not in known)
    closed_on = stranger.date_closed or stranger.date_opened + timedelta(days=180)
    return replace(stranger, status="Closed", date_closed=closed_on, paper_file=True, excluded=False)


BATCH_LAYOUTS = ("labelled", "boxed", "form", "letterhead")  # the last opens with a letter, not a front sheet


def _open_specs(open_paper: list[Person], rng: random.Random, people: Sequence[Person]) -> list[ScanSpec]:
    contradicted, unreadable, *scanned = open_paper
    someone_else = next(p for p in people if p.case_reference != contradicted.case_reference)
    batch, singles = scanned[:4], scanned[4:]
    specs = [
        ScanSpec(
            "Batch 2024-05-13 0915.pdf",
            "batch",
            tuple(
                CoverSpec(p, layout, continuation=rng.randint(1, 2), damage=Damage(skew=rng.uniform(-2, 2)))
                for p, layout in zip(batch, BATCH_LAYOUTS, strict=False)
            ),
        ),
        ScanSpec(
            "scan0101.pdf",
            "contradicting-name",
            (
                CoverSpec(
                    replace(
                        contradicted,
                        forename=someone_else.forename,
                        surname=someone_else.surname,
                        date_of_birth=someone_else.date_of_birth,
                    ),
                    "labelled",
                ),
            ),
        ),
        ScanSpec("scan0102.pdf", "missing-reference", (CoverSpec(unreadable, "form", reference_text=""),)),
    ]
    shapes: list[tuple[str, dict[str, Any], str]] = [
        ("pdf", {"barcode": "qr"}, "barcode-qr"),
        ("tiff", {"damage": Damage(rotate=180)}, "tiff-upside-down"),
        ("jpg", {"continuation": 0, "damage": Damage(grey=True, skew=1.5)}, "jpeg-grey"),
        ("pdf", {"layout": "boxed", "damage": Damage(noise=0.01)}, "boxed-noise"),
    ]
    for number, person in enumerate(singles):
        container, overrides, variation = shapes[number % len(shapes)]
        cover = CoverSpec(
            person,
            overrides.get("layout", rng.choice(("labelled", "form"))),
            barcode=overrides.get("barcode"),
            continuation=overrides.get("continuation", 1),
            damage=overrides.get("damage", Damage()),
        )
        suffix = {"tiff": "tif"}.get(container, container)
        encoding = "group4" if container == "tiff" else "jpeg"
        specs.append(ScanSpec(f"scan{103 + number:04d}.{suffix}", variation, (cover,), container, encoding))
    return specs


def make_demo_inputs(root: Path, people: Sequence[Person], *, seed: int = 0) -> DemoTruth:
    """Write scans into `root`/inbox (a workspace) and return what a correct run must conclude.

    `people` is the caseload written to the template; it needs at least seven open and two closed
    in-scope cases with paper files.
    """
    rng = random.Random(f"demo-{seed}")
    in_scope = [p for p in people if p.paper_file and not p.excluded]
    open_paper = [p for p in in_scope if p.status == "Open"]
    closed_paper = [p for p in in_scope if p.status == "Closed"]
    if len(open_paper) < 7 or len(closed_paper) < 2:
        raise ValueError("the demo needs at least 7 open and 2 closed in-scope paper cases; pass more people")
    inbox = Path(root) / "inbox"
    not_scanned, scanned_open = open_paper[-1], open_paper[:-1]
    open_scans = tuple(
        render_scan(spec, inbox, seed * 100 + n) for n, spec in enumerate(_open_specs(scanned_open, rng, people))
    )
    outsider = _outsider(people, seed)
    closed: list[ClosedTruth] = []
    for number, person in enumerate([*closed_paper[:-1], outsider]):
        parts = LOCATIONS[number % len(LOCATIONS)]
        cover = CoverSpec(
            person, ("form", "labelled")[number % 2], continuation=0, dob_format=("%d/%m/%Y", "%d %B %Y")[number % 2]
        )
        spec = ScanSpec(f"front sheet {number + 1}.pdf", "closed-front-sheet", (cover,))
        scan = render_scan(spec, inbox.joinpath("closed", *parts), seed * 100 + 50 + number)
        closed.append(ClosedTruth(scan, " / ".join(parts), in_records=person is not outsider))
    contradicted, unreadable = scanned_open[0], scanned_open[1]
    letter = scanned_open[2 + BATCH_LAYOUTS.index("letterhead")]
    return DemoTruth(
        open_scans=open_scans,
        closed=tuple(closed),
        linked=tuple(p.case_reference for p in scanned_open[2:] if p is not letter),
        needs_review=(letter.case_reference, contradicted.case_reference),
        unreadable=(open_scans[2].path,),
        missing_scans=(
            letter.case_reference,
            contradicted.case_reference,
            unreadable.case_reference,
            not_scanned.case_reference,
        ),
        missing_catalogue=(closed_paper[-1].case_reference,),
        not_in_template=outsider,
    )
