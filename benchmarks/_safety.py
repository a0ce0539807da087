"""The safety figures of issue 12, scored against the corpus's truth: covers missed, case files
holding another case file's cover, and wrong automatic links, the last by running the catalogue's
own decision on the scanner's output against a template built from the corpus's people. Also what
the scanner makes of real scanned pages, which no drawing here imitates.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from catalogue.candidates import RecordIndex
from catalogue.linking import decide
from catalogue.scans import beside_each_other
from config.settings import load_settings
from records.template import TemplateRecord, reference_key
from scanner import ScanOptions
from scanner.analysis import analyse_page
from scanner.model import CaseFile
from scanner.pages import iter_pages
from scanner.triage import TRIAGE_DPI, triage_page
from store.states import State
from synthetic.people import Person
from synthetic.real import MAX_PIXELS, REAL_DIR, real_pages


@dataclass
class Safety:
    files: int = 0
    pages: int = 0
    real_pages: int = 0
    covers_missed: int = 0
    holding_another: int = 0
    wrong_links: int = 0
    linked: int = 0
    to_review: int = 0
    details: list[str] = field(default_factory=list)


def template_index(people: Sequence[Person], patterns: Sequence[str]) -> RecordIndex:
    """The migration template the corpus's covers were drawn from, as the catalogue indexes it."""
    return RecordIndex(
        (
            row,
            TemplateRecord(
                row,
                p.case_reference,
                reference_key(p.case_reference, patterns),
                p.forename,
                p.surname,
                p.date_of_birth,
                p.status,
                p.date_opened,
                None,
                True,
                False,
                {},
            ),
        )
        for row, p in enumerate(people, start=1)
    )


def safety(
    truth: Sequence, found: Sequence[Sequence[CaseFile]], people: Sequence[Person], patterns: Sequence[str]
) -> Safety:
    """Score each file's case files against its truth; every miss is listed in `details`."""
    settings, index, score = load_settings(environ={}), template_index(people, patterns), Safety()
    for scan, case_files in zip(truth, found, strict=False):
        score.files += 1
        score.pages += scan.pages
        score.real_pages += (
            len(real_pages()) if scan.variation == "real-continuation" else scan.variation.count("+real=")
        )
        name = scan.path.name
        expected = {case.first_page: case for case in scan.case_files}
        starts = {case.first_page for case in case_files}
        for case in scan.case_files:
            if case.first_page not in starts:
                score.covers_missed += 1
                score.details.append(f"{name}: the cover on page {case.first_page} starts no case file")
        links = beside_each_other(
            [decide(case, index, closed=False, location=None, settings=settings) for case in case_files], index
        )
        for case, link in zip(case_files, links, strict=True):
            held = [t.first_page for t in scan.case_files if case.first_page < t.first_page <= case.last_page]
            if held:
                score.holding_another += 1
                score.details.append(
                    f"{name}: pages {case.first_page}-{case.last_page} hold the cover on page(s) {held} ({link.state})"
                )
            if link.state == State.NEEDS_REVIEW:
                score.to_review += 1
            if link.state != State.LINKED_AUTO or link.record_id is None:
                continue
            score.linked += 1
            want = expected.get(case.first_page)
            got = index.by_id[link.record_id].case_reference
            if held or want is None or want.case_reference != got:
                score.wrong_links += 1
                score.details.append(
                    f"{name}: pages {case.first_page}-{case.last_page} linked to {got}, "
                    f"truth {want.case_reference if want else 'no case file starts here'}"
                )
    return score


def _real_page_findings(options: ScanOptions) -> list[tuple[str, float, bool, bool, bool]]:
    """(page, seconds in analyse_page, triage hint, triage doubt, taken for a cover) per real page."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    rows = []
    for name in sorted({name for name, _ in real_pages()}):
        for page in iter_pages(REAL_DIR / name, MAX_PIXELS):
            start = time.perf_counter()
            found = analyse_page(
                page, options.patterns, options.known_references, options.language, options.ocr_timeout
            )
            took = time.perf_counter() - start
            triaged = triage_page(page.at(TRIAGE_DPI), options.patterns, options.language, options.ocr_timeout)
            rows.append(
                (f"{name}:{page.number}", took, bool(triaged.hints), triaged.doubt is not None, found.cover is not None)
            )
    return rows


def real_pages_report(options: ScanOptions) -> list[str]:
    """Pages per minute on the real continuation pages alone (one core, fresh decodes), and how
    many of them triage flagged as possible covers, doubted, or the scanner took for a cover."""
    with ProcessPoolExecutor(1) as pool:
        rows = pool.submit(_real_page_findings, options).result()
    seconds = sum(row[1] for row in rows)
    lines = [
        f"real continuation pages: {len(rows)}, {60 * len(rows) / seconds:.0f} pages/min (1 core); "
        f"triage hint on {sum(r[2] for r in rows)}, doubt on {sum(r[3] for r in rows)}, "
        f"taken for a cover {sum(r[4] for r in rows)}"
    ]
    lines += [
        f"  {page}: {1000 * took:.0f} ms"
        + (" HINT" if hint else "")
        + (" DOUBT" if doubt else "")
        + (" COVER" if cover else "")
        for page, took, hint, doubt, cover in rows
    ]
    return lines
