"""One page in, what it is out: a location sheet, a cover (and what it shows), or a following page.

The stages read top to bottom: barcodes (`scanner.symbols`) → triage (which way up, and may it be a cover?) → OCR
of the cover. A barcode names the case at once, and only the band around its label is read,
for the name and date of birth; a page whose first lines show no label or reference is a
continuation page without the careful read; the careful read covers the band from the label
down, where name and date of birth sit, and the whole top of the page only when that band gives
anything short of an exact, confident match with a template record.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from scanner import regions
from scanner.bars import has_sideways_bars, has_slanted_bars, has_upright_bars
from scanner.cover import barcode_cover, read_cover
from scanner.direction import skew_angle
from scanner.doubts import two_sheets
from scanner.fields import has_all_fields, shows_whom
from scanner.imaging import ink, ink_without_grain
from scanner.labels import TOP_FRACTION
from scanner.layout import group_lines
from scanner.lines import mostly_blank_top, text_bands, text_share, usual_line_mm
from scanner.looking import SMALL_LINE_MM
from scanner.model import CoverSheet
from scanner.notes import as_note
from scanner.pages import WORKING_DPI, Page
from scanner.ranking import best_per_reference
from scanner.regions import Decoded
from scanner.symbols import (
    BARCODE_DPI,
    Barcode,
    bars_unread,
    close_up_search,
    hard_search,
    named,
    names_another,
    names_of,
    read_symbols,
    slanted_search,
    small_copy_symbols,
    without_symbols,
)
from scanner.tesseract import Word, read_words
from scanner.triage import TRIAGE_DPI, Hint, Triage, triage_page

log = logging.getLogger(__name__)
NORMAL_LINE_MM = 4.0  # small print is magnified until its lines are as tall as 11-12 pt print's
# A sparse page's lines thinner than this are 9 pt print or less: grain or a narrow face leave it
# unread on the triage copy (a tester's 9 pt Liberation Sans Narrow referral record: 2.8 mm lines,
# 3.05 skewed 1.6°; 9 pt print makes 3.05-3.3 mm, 10-12 pt 3.3-4.1 mm), and a sparse sheet is the
# shape of a cover. Measured on A4 at 100 dpi.
SPARSE_SMALL_LINE_MM = 3.2
# Of a page's rows, the share in lines of text below which it is a sparse sheet, searched at
# 300 dpi for a small code when nothing else shows (see `_analyse`): a tester's front sheets of a
# few fields 0.03-0.11; drawn case notes and letters 0.16-0.48, title pages and dividers 0.03-0.1.
SPARSE_PAGE = 0.12
COARSEST_DPI = 200  # PRODUCT.md: scans are 200-600 dpi (a PDF states 200 as 199.99…)
READ_SLACK = 2  # pixels: a line the band's edge came this near to may have been cut, so is read again


@dataclass(frozen=True)
class PageFinding:
    number: int
    cover: CoverSheet | None = None  # set when the page starts a case file
    location: str | None = None  # set when the page is a location sheet
    barcode: bool = False
    doubt: str | None = None  # why a continuation might still be a cover, or a cover's file wait for a person


def _sure(is_cover: bool, sheet: CoverSheet, known: Set[str]) -> bool:
    """Whether the band's reading needs no wider read: one labelled, uncorrected reading of a
    reference the template holds. A speed shortcut only: the catalogue still matches every
    reading against the template."""
    top = sheet.candidates[0] if sheet.candidates else None
    return (
        is_cover
        and top is not None
        and len(sheet.candidates) == 1
        and top.labelled
        and not top.corrections
        and top.case_reference in known
    )


def _careful_read(
    page: Decoded,
    hint: Hint,
    number: int,
    patterns: Sequence[str],
    known: Set[str],
    language: str,
    timeout: int,
) -> tuple[bool, CoverSheet, list[Word]]:
    """The band around the label triage saw; the rest of the page (`_read_on`) unless that band
    is sure; and the words read, placed on the upright page at the working resolution."""
    near, first, last = regions.band(page, hint, language, timeout)
    near = [replace(word, top=word.top + first) for word in near]
    found = read_cover(near, WORKING_DPI, number, patterns)
    sure = _sure(*found, known)
    if sure and has_all_fields(group_lines(near), WORKING_DPI):
        return (*found, near)
    words = _read_on(page, hint, near, first, last, language, timeout, patterns)
    is_cover, wider = read_cover(words, WORKING_DPI, number, patterns)
    if sure and wider.case_reference is None:
        # Read again with the page's top, a noisy skewed line at the band's edge came back
        # unreadable: the band's reading stands, the wider read's text and fields beside it.
        band = found[1]
        wider = replace(band, candidates=_both_readings(wider, band).candidates, fields=wider.fields, text=wider.text)
    return is_cover or found[0], wider, words


def _read_on(
    page: Decoded,
    hint: Hint,
    near: list[Word],
    first: int,
    last: int,
    language: str,
    timeout: int,
    patterns: Sequence[str] = (),
) -> list[Word]:
    """The words of the page beyond the band (`near`, rows `first` to `last`): its top, then its
    foot when the top shows no one, then the other ways up when nothing the right way up does.
    Given the reference `patterns`, a top that shows someone but no reference has its foot read
    too, and kept only when it holds a reference beside a reference label: a fresh tester's
    cover printed its labelled name and date of birth at the top and "Case ref: …" only in a 9 pt
    footer, and waited for a person as unreadable; another's, its reference smudged, printed
    "Form CP-2019-001" or "Linked file: <a sibling's reference>" in its footer, which read
    unlabelled would have named a case (tryouts 24 and 25).

    The lines the band has read whole are not read twice: the top is read with them blanked
    (tesseract's time grows with the text it reads) and the band's words stand in for them."""
    # Down to the band's end at least: triage follows a sparse top further down the page.
    pixels = np.array(regions.top(page, hint, last))
    inside = [
        (a, b) for a, b in text_bands(pixels < 128, WORKING_DPI) if first + READ_SLACK <= a and b + READ_SLACK <= last
    ]
    for a, b in inside:
        pixels[a:b] = 255
    kept = [word for word in near if any(a <= word.top + word.height / 2 < b for a, b in inside)]
    words = [*read_words(Image.fromarray(pixels), WORKING_DPI, language, timeout=timeout), *kept]
    if not shows_whom(group_lines(words), WORKING_DPI):
        words += regions.below(page, hint, pixels.shape[0], language, timeout)
        if not shows_whom(group_lines(words), WORKING_DPI):
            words += regions.crosswise(page, hint, words, language, timeout)
    elif patterns and not read_cover(words, WORKING_DPI, 0, patterns)[1].candidates:
        foot = regions.below(page, hint, pixels.shape[0], language, timeout)
        if any(found.labelled for found in read_cover(foot, WORKING_DPI, 0, patterns)[1].candidates):
            words += foot
    return words


def _barcode_finding(
    barcodes: Sequence[Barcode],
    page: Page,
    hint: Hint | None,
    patterns: Sequence[str],
    language: str,
    timeout: int,
    blank: Image.Image | None = None,
) -> PageFinding:
    """Barcodes name the case at once; the printed name and date of birth are still read from
    the band around the label, because a barcoded cover that carries someone else's details must
    go to a person, not be linked. `blank` is the triage copy with the codes painted out, when
    the caller has it already."""
    location = next((b for b in barcodes if b.location), None)
    if location is not None:
        return PageFinding(page.number, location=location.text)
    if blank is None:
        blank = without_symbols(page.at(TRIAGE_DPI), TRIAGE_DPI, barcodes)
    left = ink(blank)
    doubt = None
    if bars_unread(left, barcodes):
        # Bars left beside the codes read, at a slant: a Code 39 label slanted 10-15 degrees beside
        # a QR or Data Matrix code, naming another case (~140 ms, on such covers only).
        seen = {names_of(b) for b in barcodes}
        more = slanted_search(page, patterns, seen)
        if not names_another(more, seen):
            more += close_up_search(page, left, patterns)
        if not names_another(more, seen):
            doubt = "bars at a slant beside the barcode read as no code: a label there may name another case"
        barcodes = [*barcodes, *more]
    log.info("event=barcode page=%d symbols=%d", page.number, len(barcodes))
    image, dpi = page.decoded(WORKING_DPI)
    unbarred = (without_symbols(image, dpi, barcodes), dpi)
    if hint is not None:
        near, first, last = regions.band(unbarred, hint, language, timeout)
        words = [replace(word, top=word.top + first) for word in near]
        if not has_all_fields(group_lines(words), WORKING_DPI):
            # A name printed above the label triage saw (a date of birth's, on a sheet whose
            # reference is its unlabelled title) is outside the band.
            words = _read_on(unbarred, hint, words, first, last, language, timeout)
        else:
            # What the sheet prints above its labelled fields: the person it shows first may be
            # another child, its fields the code's child's as an "Older child:" (a sheet about a
            # child not in the template, under a sibling's code, was linked).
            words = [*regions.between(unbarred, hint, 0, first, language, timeout), *words]
    else:
        words, hint = regions.top_words(unbarred, blank, language, timeout)
        if not shows_whom(group_lines(words), WORKING_DPI):
            # The whole page, as the careful read of a cover that shows no one at its top does.
            words = regions.below(unbarred, hint, 0, language, timeout)
            if not shows_whom(group_lines(words), WORKING_DPI):
                words += regions.crosswise(unbarred, hint, words, language, timeout)
    readings = [(b.reference, b.text) for b in barcodes if b.reference is not None]
    cover = barcode_cover(readings, page.number, words, WORKING_DPI, patterns)
    return PageFinding(page.number, cover=cover, barcode=True, doubt=doubt)


def _evidence(triage: Triage, barcodes: Sequence[Barcode]) -> str | None:
    """Why the page must be taken for a cover though no careful read found a labelled reference."""
    if triage.hints:
        return "a cover's evidence near the top (a reference label, a reference, or a name and date of birth)"
    if barcodes:
        return "a barcode that names no case reference"
    return None


def analyse_page(
    page: Page, patterns: Sequence[str], known: Set[str], language: str = "eng", timeout: int = 60
) -> PageFinding:
    """What this page is (see `_analyse`). A page its header and its pixel size disagree about,
    taken for a plain continuation at the resolution its text chose, is looked at once more at
    each other one: a cover's small labels under a big heading can make the text choose wrong,
    and a cover read at the wrong size shows nothing, so its pages would join someone else's
    case file. So is a page whose lines are too thin to read on the triage copy, magnified: a
    front sheet in 4-5 pt print reads as nothing there, nor a sparse one in 9 pt print with
    grain. A page that left a doubt is looked at so too, and keeps its doubt unless a case is
    named there (a grey paragraph on a sparse 9 pt sheet reads as a stamp's ink). The first
    reading that names a case starts a case file; one that only shows a cover's evidence or a
    doubt leaves a doubt (a page read far too small shows bars and label-like smudges that are
    not there), so its case file waits for a person.

    A colour page holding coloured ink that named no case is first read again with that ink left
    out: a stamp's frame across a label hides it in grey, or leaves its reference unreadable.
    What that shows is the page's own print, so a cover's evidence there starts a case file as
    any other would. A cover scanned beside another sheet leaves a doubt (`doubts.two_sheets`)."""
    mask = ink(page.at(TRIAGE_DPI))
    finding = _looked_at(page, patterns, known, language, timeout, mask)
    if finding.cover is None and finding.location is None and finding.doubt is None:
        finding = replace(finding, doubt=_coarse(page, mask))
    sheets = two_sheets(mask, TRIAGE_DPI) if finding.cover is not None else None
    return finding if sheets is None else replace(finding, doubt=sheets)


def _looked_at(
    page: Page, patterns: Sequence[str], known: Set[str], language: str, timeout: int, mask: np.ndarray
) -> PageFinding:
    finding = _analyse(page, patterns, known, language, timeout, mask)
    if finding.location is not None or finding.barcode:
        return finding
    dropped = page.without_coloured_ink()
    if dropped is not None:
        alternative = _analyse(dropped, patterns, known, language, timeout)
        if finding.cover is not None and alternative.cover is not None:
            return replace(finding, cover=_both_readings(finding.cover, alternative.cover))
        if not _names_a_case(finding) and (_names_a_case(alternative) or (_bare(finding) and not _bare(alternative))):
            log.info("event=second-look page=%d found=%s how=colour-left-out", page.number, _found(alternative))
            return alternative
    if finding.cover is not None or finding.location is not None:
        return finding
    looks = [(other, "read at another resolution its header allows") for other in page.other_readings()]
    line = usual_line_mm(mask, TRIAGE_DPI)
    if line is not None and (
        line < SMALL_LINE_MM or (line < SPARSE_SMALL_LINE_MM and mostly_blank_top(mask, TRIAGE_DPI, TOP_FRACTION))
    ):
        looks.append((page.magnified(NORMAL_LINE_MM / line), "its small print, read magnified"))
    for other, how in looks:
        alternative = _analyse(other, patterns, known, language, timeout)
        if alternative.cover is not None and alternative.cover.case_reference is not None:
            log.info("event=second-look page=%d found=cover", page.number)
            return alternative
        why = alternative.doubt or (alternative.cover.evidence if alternative.cover else None)
        if why and finding.doubt is None:
            log.info("event=second-look page=%d found=doubt", page.number)
            return replace(finding, doubt=f"{how}: {why}")
    return finding


def _both_readings(grey: CoverSheet, dropped: CoverSheet) -> CoverSheet:
    """One cover read twice, in grey and with its coloured ink left out: the surer reading, and
    every candidate of both for the catalogue to weigh (a stamp over a reference's last digit
    reads "DSA-2018-272" in grey, "DSA-2018-273" without it)."""
    dropped_surer = grey.case_reference is None or dropped.confidence > grey.confidence
    surer = dropped if dropped.case_reference is not None and dropped_surer else grey
    best = best_per_reference((*grey.candidates, *dropped.candidates))
    return replace(surer, candidates=tuple(sorted(best, key=lambda c: -c.score)))


def _names_a_case(finding: PageFinding) -> bool:
    return finding.location is not None or (finding.cover is not None and finding.cover.case_reference is not None)


def _bare(finding: PageFinding) -> bool:
    """A plain continuation page: no cover, no doubt, no location."""
    return finding.cover is None and finding.doubt is None and finding.location is None


def _found(finding: PageFinding) -> str:
    return "cover" if finding.cover is not None or finding.location is not None else "doubt"


def _sparse(quiet: np.ndarray) -> bool:
    """Whether the ink of a page (its grain left out) fills under `SPARSE_PAGE` of it with text
    lines, across or down: a front sheet's shape."""
    return min(text_share(quiet, TRIAGE_DPI), text_share(quiet.T, TRIAGE_DPI)) < SPARSE_PAGE


def _coarse(page: Page, mask: np.ndarray) -> str | None:
    """The doubt a sparse page scanned coarser than `COARSEST_DPI` leaves, with ink on it: a
    sticker's small code, a pixel a bar there, reads as nothing however it is searched (a
    tester's 150 dpi sheets merged so). Judged on the page as scanned, never on a copy read at
    another scale (`Page.magnified`): magnified, a 200 dpi page's resolution reads lower."""
    if page.decoded(BARCODE_DPI)[1] >= 0.95 * COARSEST_DPI:
        return None
    quiet = ink_without_grain(page.at(TRIAGE_DPI), mask)
    if not quiet.any() or not _sparse(quiet):
        return None
    return f"a sparse page scanned under {COARSEST_DPI} dpi may carry a code too fine to read: re-scan it at 300 dpi"


def _analyse(
    page: Page, patterns: Sequence[str], known: Set[str], language: str, timeout: int, mask: np.ndarray | None = None
) -> PageFinding:
    """What this page is, read at the resolution it was given. Barcodes are sought first on the
    small triage copy (a quarter of the pixels; QR, Data Matrix and Code 128 still read); a page
    that shows bars is searched again at full resolution before the careful read, so a barcode
    too fine for the copy still wins.

    A page showing any cover evidence starts a case file even when nothing names its case (it
    waits for a person as unreadable): taken for a continuation, it would put its pages in
    someone else's case file. Such a page, and any page showing bars that did not decode, is
    searched hard for a barcode (300 dpi, turned back by a label's slant) before it is given up.
    `known` (the template's references) only tells the careful read when it may stop early;
    `mask` is the ink of the page's triage copy, when the caller has it already.
    """
    small = page.at(TRIAGE_DPI)
    mask = ink(small) if mask is None else mask
    sideways = has_sideways_bars(mask, TRIAGE_DPI)
    barcodes = small_copy_symbols(small, sideways, patterns)
    if named(barcodes):
        # Every symbol of a barcoded cover, at full resolution: a second, smaller code (a Data
        # Matrix label beside a QR, a Code 39 sticker) may not read on the small copy, and two
        # codes that disagree must both be seen, or the cover is linked to whichever read first.
        barcodes += read_symbols(*page.at_most(BARCODE_DPI), patterns, downscale=False)
        blank = without_symbols(small, TRIAGE_DPI, barcodes)
        hint = next(iter(triage_page(blank, patterns, language, timeout).hints), None)
        return _barcode_finding(barcodes, page, hint, patterns, language, timeout, blank)
    bars = sideways or has_upright_bars(mask, TRIAGE_DPI) or has_slanted_bars(mask, TRIAGE_DPI)
    triage = triage_page(small, patterns, language, timeout, mask, bars)
    if barcodes or bars:
        barcodes += read_symbols(*page.at_most(BARCODE_DPI), patterns, downscale=False)
        if named(barcodes):
            return _barcode_finding(barcodes, page, next(iter(triage.hints), None), patterns, language, timeout)
    evidence = _evidence(triage, barcodes)
    # A doubt is read carefully too: "Case Ret:" on the triage copy may read "Case Ref:" at 200 dpi.
    hints = triage.hints or ((Hint(0, skew_angle(mask), 0),) if evidence or triage.doubt else ())
    read: CoverSheet | None = None
    for hint in hints:
        working = page.decoded(WORKING_DPI)
        is_cover, sheet, words = _careful_read(working, hint, page.number, patterns, known, language, timeout)
        if is_cover:
            # Every symbol on a cover, whatever named it: a Data Matrix of 0.34 mm modules, too
            # fine for the triage copy, named another case than the printed reference on a fresh
            # tester's covers, which were linked by OCR. The careful read's copy serves (~10 ms),
            # searched turned only when the page lies turned (a matrix code reads any way round).
            symbols = read_symbols(*working, patterns, downscale=False, rotate=hint.turn % 180 != 0)
            if named(symbols):
                return _barcode_finding(symbols, page, hint, patterns, language, timeout)
            log.info("event=ocr-cover page=%d turn=%d confidence=%.2f", page.number, hint.turn, sheet.confidence)
            return PageFinding(page.number, cover=as_note(sheet, small, hint, words))
        read = read or sheet
    doubt = triage.doubt or page.doubt  # a page read at a doubtful scale may hide a cover
    quiet = ink_without_grain(small, mask)
    sparse = _sparse(quiet)
    # Bars on a sparse page, mended (`bars.has_slanted_bars`): a sticker of 0.17 mm bars at 200 dpi
    # with grain shows broken ones only, and nothing else was on the page (a fresh tester's).
    marked = sparse and has_slanted_bars(quiet, TRIAGE_DPI, mend=True)
    if evidence is None and doubt is None and not bars and not marked:
        if not sparse:
            return PageFinding(page.number)
        # A sparse page has a front sheet's shape, and a small code may be all that names its
        # case: a QR sticker of 0.25 mm modules, one pixel each on the triage copy, under a name
        # and a date printed with no labels (a fresh tester's covers merged so). ~30 ms a page.
        barcodes += read_symbols(*page.at_most(BARCODE_DPI), patterns, downscale=False)
    else:
        barcodes += hard_search(page, patterns)
    if not named(barcodes) and (sparse or evidence is not None):
        # Grain, blur or a coarse scan leave a sticker's small code readable only magnified: a QR
        # of 0.25 mm modules at 200 dpi, a Data Matrix of 0.22 mm turned 12 degrees at 300.
        barcodes += close_up_search(page, quiet, patterns)
    if named(barcodes):
        return _barcode_finding(barcodes, page, next(iter(triage.hints), None), patterns, language, timeout)
    evidence = _evidence(triage, barcodes)
    if evidence is None:
        unread = "a sparse page shows bars that no search could read: a barcode there may name another case"
        return PageFinding(page.number, doubt=page.doubt or (unread if marked else doubt))
    log.info("event=unreadable-cover page=%d readings=%d", page.number, len(read.candidates) if read else 0)
    return PageFinding(page.number, cover=replace(read or CoverSheet(page.number, None, None, 0.0), evidence=evidence))
