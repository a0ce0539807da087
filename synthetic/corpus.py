"""The benchmark and test corpus: one scan per kind of trouble a scanner meets, plus random mixes.

Covers come in every layout, the house's and other offices' (synthetic.foreign); real scanned
pages (synthetic.real) follow covers in one batch of their own and in some of the random mixes.

Every variation the scanner issue names is present at least once, whatever `count` is asked for;
further case files combine variations at random until `count` is reached. The same seed always
writes the same files and the same truth.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from synthetic.demo import DemoTruth, make_demo_inputs
from synthetic.drawing import BARCODE_FORMATS
from synthetic.pages import LAYOUTS
from synthetic.people import Person
from synthetic.real import real_pages
from synthetic.render import CoverSpec, Damage, ScanSpec, TruthCaseFile, TruthScan, render_scan

Overrides = dict[str, Any]  # CoverSpec, Damage and ScanSpec fields to set for one variation

__all__ = ["DemoTruth", "TruthCaseFile", "TruthScan", "format_reference", "make_corpus", "make_demo_inputs"]

SEPARATOR_STYLES = {"spaces": "{0} - {1} {2}", "slashes": "{0}/{1}/{2}", "joined": "{0}{1}{2}"}


def format_reference(reference: str, style: str) -> str:
    """Print a canonical reference the way a typist might: spaced, slashed or run together."""
    return SEPARATOR_STYLES[style].format(*reference.split("-"))


def _base_variations(rng: random.Random, dpi_choices: Sequence[int]) -> list[tuple[str, Overrides]]:
    """(variation, overrides) for one case file each; overrides go to CoverSpec, Damage or ScanSpec."""
    low = min(dpi_choices)
    variations: list[tuple[str, Overrides]] = [(f"layout-{name}", {"layout": name}) for name in LAYOUTS]
    variations += [("letterhead-decoy", {"layout": "letterhead", "decoy": True})]
    variations += [(f"dpi-{dpi}", {"dpi": dpi}) for dpi in dpi_choices]
    variations += [
        ("grey-paper", {"grey": True}),
        ("blur", {"blur": 1.5 * low / 200}),
        ("noise", {"noise": 0.02}),
        ("jpeg-q50", {"quality": 50}),
        ("skew+3", {"skew": 3.0}),
        ("skew-3", {"skew": -3.0}),
    ]
    variations += [(f"rotate-{turn}", {"rotate": turn}) for turn in (90, 180, 270)]
    variations += [(f"barcode-{name}", {"barcode": name}) for name in BARCODE_FORMATS]
    variations += [(f"reference-{style}", {"style": style}) for style in SEPARATOR_STYLES]
    variations += [
        ("pdf-g4", {"encoding": "g4"}),
        ("pdf-png", {"encoding": "png"}),
        ("png-single", {"container": "png", "continuation": 0}),
        ("jpeg-single", {"container": "jpg", "continuation": 0}),
        ("mixed-pdf", {"container": "mixed", "continuation": 1}),
        ("reference-only", {"show_name": False, "show_dob": False}),
        ("dob-long-form", {"dob_format": "%d %B %Y"}),
        ("front-sheet-mono", {"layout": "diocesan-mono", "skew": 1.0, "noise": 0.01, "dpi": max(dpi_choices)}),
    ]
    rng.shuffle(variations)
    return variations


def _random_overrides(rng: random.Random) -> tuple[str, Overrides]:
    """A plausible mix of troubles, as a real mixed batch of scans would show."""
    overrides: Overrides = {
        "skew": round(rng.uniform(-3, 3), 1),
        "grey": rng.random() < 0.3,
        "noise": rng.choice((0.0, 0.0, 0.01)),
        "rotate": rng.choice((0, 0, 0, 90, 180, 270)),
    }
    if rng.random() < 0.3:
        overrides["barcode"] = rng.choice(sorted(BARCODE_FORMATS))
    if rng.random() < 0.3:
        overrides["style"] = rng.choice(sorted(SEPARATOR_STYLES))
    label = "+".join(f"{key}={value}" for key, value in sorted(overrides.items()) if value)
    if rng.random() < 0.25:
        overrides["real"] = (rng.choice(real_pages()),)
        label += f"+real={overrides['real'][0][0]}"
    return f"mix:{label or 'clean'}", overrides


class _Planner:
    """Hands out people and builds specs, so every spec draws on the same shuffled caseload."""

    def __init__(self, people: Sequence[Person], rng: random.Random, dpi_choices: Sequence[int]):
        if not people:
            raise ValueError("make_corpus needs at least one person")
        shuffled = list(people)
        rng.shuffle(shuffled)
        self._people: Iterator[Person] = itertools.cycle(shuffled)
        self._all = shuffled
        self._rng = rng
        self._dpi = tuple(dpi_choices)

    def cover(self, overrides: Overrides) -> CoverSpec:
        person = next(self._people)
        others = [p for p in self._all if p.case_reference != person.case_reference]
        style = overrides.get("style")
        layout = overrides.get("layout") or self._rng.choice(sorted(LAYOUTS))
        decoy = overrides.get("decoy") or (layout == "letterhead" and self._rng.random() < 0.5)
        return CoverSpec(
            person=person,
            layout=layout,
            barcode=overrides.get("barcode"),
            reference_text=overrides.get(
                "reference_text", format_reference(person.case_reference, style) if style else None
            ),
            decoy_reference=self._rng.choice(others).case_reference if decoy and others else None,
            show_name=overrides.get("show_name", True),
            show_dob=overrides.get("show_dob", True),
            dob_format=overrides.get("dob_format", "%d/%m/%Y"),
            continuation=overrides.get("continuation", self._rng.randint(0, 2)),
            real=overrides.get("real", ()),
            damage=Damage(
                rotate=overrides.get("rotate", 0),
                skew=overrides.get("skew", 0.0),
                blur=overrides.get("blur", 0.0),
                noise=overrides.get("noise", 0.0),
                grey=overrides.get("grey", False),
            ),
        )

    def scan(self, number: int, variation: str, covers: Sequence[CoverSpec], overrides: Overrides) -> ScanSpec:
        container = overrides.get("container", "pdf")
        suffix = {"mixed": "pdf", "tiff": "tif"}.get(container, container)
        return ScanSpec(
            filename=f"scan{number:04d}-{variation.split(':')[0]}.{suffix}",
            variation=variation,
            covers=tuple(covers),
            container=container,
            encoding=overrides.get("encoding", "jpeg"),
            quality=overrides.get("quality", 75),
            dpi=overrides.get("dpi", self._rng.choice(self._dpi)),
        )


def _plan(people: Sequence[Person], seed: int, count: int, dpi_choices: Sequence[int]) -> list[ScanSpec]:
    rng = random.Random(f"corpus-{seed}")
    planner = _Planner(people, rng, dpi_choices)
    specs = [
        planner.scan(n, name, [planner.cover(o)], o)
        for n, (name, o) in enumerate(_base_variations(rng, dpi_choices), start=1)
    ]
    batch = {"dpi": min(dpi_choices)}
    covers = [replace(planner.cover(batch), continuation=rng.randint(1, 3)) for _ in range(4)]
    specs.append(planner.scan(len(specs) + 1, "batch-4", covers, batch))
    # A cover whose reference field was left empty, behind another: it must still start its own
    # case file (unreadable), never join the one before.
    blank = {"layout": "diocesan-table", "continuation": 1}
    covers = [planner.cover(blank), planner.cover({**blank, "reference_text": ""})]
    specs.append(planner.scan(len(specs) + 1, "blank-reference", covers, blank))
    real = real_pages()
    covers = [replace(planner.cover({**batch, "continuation": 1}), real=real[start::3]) for start in range(3)]
    specs.append(planner.scan(len(specs) + 1, "real-continuation", covers, batch))
    for compression in ("group4", "tiff_lzw", "jpeg"):
        tiff = {"container": "tiff", "encoding": compression, "dpi": min(dpi_choices)}
        specs.append(
            planner.scan(len(specs) + 1, f"tiff-{compression}", [planner.cover(tiff), planner.cover(tiff)], tiff)
        )
    while sum(len(spec.covers) for spec in specs) < count:
        name, overrides = _random_overrides(rng)
        specs.append(planner.scan(len(specs) + 1, name, [planner.cover(overrides)], overrides))
    return specs


def make_corpus(
    directory: Path,
    people: Sequence[Person],
    *,
    seed: int = 0,
    count: int = 40,
    dpi_choices: Sequence[int] = (200, 300),
) -> list[TruthScan]:
    """Write the corpus into `directory` and return the truth for every file, in file-name order.

    People are reused in turn when `count` exceeds the caseload, so references may repeat across
    files; every reference printed is one of `people`'s.
    """
    Path(directory).mkdir(parents=True, exist_ok=True)
    specs = _plan(people, seed, count, dpi_choices)
    return [render_scan(spec, Path(directory), seed * 10_000 + n) for n, spec in enumerate(specs)]
