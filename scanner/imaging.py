"""Pixel work before OCR: upright, straight, without ruled lines, at a resolution tesseract likes.

Everything here is numpy on small greyscale images, because it runs on every page of a batch and
must cost a few milliseconds, not the hundreds that a tesseract orientation pass costs.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from scanner.morphology import closed, opened, spread, window_all

SOLID_ROW = 0.6  # a row more than this inked is a shaded band or a block, not a line of text
BAND_MM = 40.0  # ink unbroken this far along a row is a band or a picture, never letters
# A reference printed white in a black box of its own is as wide as its 9 or so characters, 15 mm
# at 8 pt; letters' strokes run a few millimetres at most, a rule is thinner than `SOLID_MM`.
REVERSED_MM = 15.0
GAP_COLUMN = 0.15  # of a box's rows inked: less is the paper between two boxes, not a white letter
BOX_EDGE_MM = 0.3  # a box's edge blurred by the scan; a letter keeps further from it
BAND_LINE_MM = 7.0  # a line of up to 18 pt letters across a band
SOLID_MM = 3.0  # ... when that many such rows run together: a rule is thinner
SHADE_FILL = 0.85  # of a band's width inked: a line of bold letters inks half of it at most
# Measured on the top of pages at 100 dpi: a tester's stamped covers (grey, red, blue and dark
# grey stamps across the fields) 0.83-2.9 of the darkest steps; drawn and real continuation pages
# 0.13-0.61, except a real scan whose print is itself light grey (looked at again, no harm done).
INK_STEP = 16
SECOND_INK_PEAK = 0.75
LETTER_GAP_MM = 2.5  # the space inside and between letters, and between words, of print up to ~20 pt
LETTER_LINE_MM = 1.2  # a line of 8 pt print, closed, is ~1.4 mm tall; a rule or a frame 0.5 mm or less
HEAVY_STROKE_MM = 1.0  # a rubber stamp's letters; print up to ~20 pt bold has thinner strokes
# ... at 300 dpi: at 100 dpi, after JPEG and scaling, 18-21 pt bold print was 84-97 % such strokes;
# stamps across a sparse cover's print are less than half its ink.
HEAVY_PRINT_SHARE = 0.6
MIN_PRINT_CONTRAST = 16  # grey levels below even paper; print in grey 165 on white stands 90 below
PAPER_SPREADS = 4  # ... or this many of the paper's standard deviations below it, on noisy paper
# Share of a lighter ink's pixels standing alone: grey print and anti-aliased edges < 0.01,
# salt-and-pepper noise and mottled recycled paper 0.2-0.8 (measured at 100 dpi).
LIGHT_SPECKLE = 0.05
MAX_INK_SHARE = 0.5  # of a page's pixels: more is a second paper's tone, not print (see `_two_papers`)
PAPER_SHARE, PAPER_TONE = 0.15, 200  # ... or this much, in a tone lighter than any print (grey print <= 165)
# ... or less, lying 2 pixels or more inside itself: an A7 grey card on A4 0.98 at 100 dpi, print's strokes
# at 100 dpi (2-4 px wide up to 20 pt bold) next to none.
SOLID_PAPER = 0.5
# Share of what a lighter threshold adds that stands 2 pixels or more from the darker print: the
# edges of print anti-aliased, blurred or JPEG-damaged <= 0.001; fields printed in grey 0.012-0.9.
LIGHT_PRINT_SHARE = 0.004
RULE_RUN_MM = 15.0  # ink unbroken this far along a row is a rule, never a letter
SPECKLE_LIMIT = 0.001  # measured: clean and JPEG-damaged covers < 0.0001, 2% noise 0.006
# Of a copy's ink, the share of pixels standing alone above which Otsu took grain for ink: 0.19-0.2
# on a tester's sticker sheets under grain 15-20; the corpus's drawn and real pages 0.0005-0.024.
GRAIN_SPECKLE = 0.1


def scaled(image: Image.Image, dpi: float, target_dpi: float) -> Image.Image:
    """`image` resampled to `target_dpi`; never enlarged by less than a worthwhile step."""
    factor = target_dpi / dpi
    if 0.9 <= factor <= 1.1:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    if factor < 1:
        # A PDF page's resolution comes back as 199.9999…: the slack keeps its halving a halving.
        # Averaging boxes shrinks text as cleanly as bilinear, in two thirds of the time.
        return image.reduce(max(1, int(1 / factor + 0.01))).resize(size, Image.Resampling.BOX)
    return image.resize(size, Image.Resampling.BICUBIC)


def ink(image: Image.Image) -> np.ndarray:
    """Boolean ink mask by Otsu's threshold, which copes with grey paper and faint toner.

    One threshold parts two classes, and a page printed in two inks has three: a black heading
    over fields printed in grey (110-165 on white) gets a threshold between the black and the
    grey, and the fields go with the paper. So the pixels lighter than that threshold are parted
    again the same way, and what that adds is ink too, clearly darker than the paper's
    tone (the commonest tone lighter than the print), when it is a print: not speckle (noise
    and mottled paper stand alone, a print's pixels touch each other), and not only the
    darker print's own soft edges, which would thicken every letter of a blurred page."""
    pixels = np.asarray(image, dtype=np.uint8)
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    threshold = _otsu(histogram)
    if threshold is None:  # a blank or single-tone page: nothing darker than mid-grey is ink
        return pixels <= 127
    if _two_papers(histogram, threshold, pixels):
        threshold = _otsu(histogram[: threshold + 1]) or 0
        histogram = histogram.copy()
        histogram[threshold + 1 :] = 0  # nothing lighter than the print is a second ink here
    mask = pixels <= threshold
    lighter = _otsu(histogram[threshold + 1 :])
    if lighter is None:
        return mask
    paper = threshold + 1 + int(np.argmax(histogram[threshold + 1 :]))
    wider = pixels <= min(threshold + 1 + lighter, paper - _print_contrast(histogram, paper))
    added = wider & ~mask
    if not added.any() or added.mean() > PAPER_SHARE or _alone(wider)[added].mean() > LIGHT_SPECKLE:
        return mask  # speckle, or a second paper's tone (a grey card), not a lighter print
    apart = added & ~_grown(_grown(mask))  # a halo hugs the print it blurs; a lighter print stands apart
    return wider if apart.sum() >= LIGHT_PRINT_SHARE * added.sum() else mask


def _two_papers(histogram: np.ndarray, threshold: int, pixels: np.ndarray) -> bool:
    """Whether Otsu's threshold parted two papers rather than print from paper: most of the page
    on its darker side with the commonest tone there lighter than mid-grey, or that tone a
    paper's (`PAPER_TONE` or lighter, which no print is) over a good part of the page or in one
    solid piece (`SOLID_PAPER`). A white card on grey paper made the whole grey sheet ink, and a
    light grey card on white paper the whole card (fresh testers' cards, merged silently: an A7
    card is an eighth of an A4 page); a sheet on a scanner's black lid stays as it is."""
    darker = histogram[: threshold + 1]
    share, commonest = darker.sum() / histogram.sum(), int(np.argmax(darker))
    if share > MAX_INK_SHARE and commonest > 127:
        return True
    if commonest < PAPER_TONE:
        return False
    if share > PAPER_SHARE:
        return True
    dark = pixels <= threshold
    return bool((~_grown(_grown(~dark))).sum() > SOLID_PAPER * dark.sum())


def _print_contrast(histogram: np.ndarray, paper: int) -> float:
    """How far below the paper's tone a pixel must be to be print: `PAPER_SPREADS` times the
    paper's own spread, measured on its lighter side, where no ink is; `MIN_PRINT_CONTRAST` on
    even paper."""
    above = histogram[paper:]
    spread = np.sqrt((above * np.arange(len(above)) ** 2).sum() / above.sum())
    return max(MIN_PRINT_CONTRAST, PAPER_SPREADS * float(spread))


def _grown(mask: np.ndarray) -> np.ndarray:
    """The mask grown by one pixel each way (a 3×3 dilation)."""
    padded = np.pad(mask, 1)
    rows = padded[:-2] | padded[1:-1] | padded[2:]
    return rows[:, :-2] | rows[:, 1:-1] | rows[:, 2:]


def _otsu(histogram: np.ndarray) -> int | None:
    """Otsu's threshold over a histogram's bins (the last bin of the darker class), or None when
    the bins hold one tone."""
    total = histogram.sum()
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(len(histogram)))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (means[-1] * weights / total - means) ** 2 / (weights * (total - weights))
    candidates = between[:-1]
    return int(np.nanargmax(candidates)) if np.isfinite(candidates).any() else None


def text_ink(image: Image.Image, dpi: float) -> np.ndarray:
    """Ink as text shows it, even on a shaded header band, table row or cell. Otsu's threshold takes a
    grey band (paper ~200) for ink once noise or blur muddies it, and the band's letters vanish
    into a solid block; then the threshold is taken again among the darker pixels alone, which
    parts the letters from the band."""
    mask = _reverse_video(image, ink(image), dpi)
    pixels = np.asarray(image, dtype=np.uint8)
    solid = np.flatnonzero(mask.mean(axis=1) >= SOLID_ROW)
    breaks = np.flatnonzero(np.diff(solid) > 1)
    longest = int(np.diff(np.r_[-1, breaks, len(solid) - 1]).max()) if len(solid) else 0
    if longest < dpi * SOLID_MM / 25.4:  # rules are thin; a band is as tall as its letters
        return _unshaded(pixels, mask, dpi)
    return _darker_part(pixels, mask)


def _unshaded(pixels: np.ndarray, mask: np.ndarray, dpi: float) -> np.ndarray:
    """The mask with the letters parted from each block of grey shading as wide as a band that
    fills less than `SOLID_ROW` of its rows: the label column of a table shaded grey (a held-out
    front sheet whose "Case No." and "Date of birth:" cells were one block to the threshold, and
    whose page joined the case file before it). Parted inside the block alone: a barcode blurred
    grey elsewhere on the page must not set the threshold for its print. A dark block is not
    shading: `_reverse_video` reads it."""
    out = mask
    for first, last in row_runs(_banded_rows(mask, dpi, SHADE_FILL), round(dpi * BAND_LINE_MM / 25.4)):
        if last - first < dpi * SOLID_MM / 25.4:
            continue
        columns = np.flatnonzero(mask[first:last].mean(axis=0) >= SOLID_ROW)
        for left, right in row_runs(columns, 1):
            if right - left < dpi * BAND_MM / 25.4:
                continue
            block, inked = pixels[first:last, left:right], mask[first:last, left:right]
            if not inked.any() or np.median(block[inked]) < 128:
                continue
            if out is mask:
                out = mask.copy()
            out[first:last, left:right] = _darker_part(block, inked)
    return out


def _banded_rows(mask: np.ndarray, dpi: float, fill: float = 1.0, wide_mm: float = BAND_MM) -> np.ndarray:
    """Indices of the rows in which ink runs for `wide_mm` or more, unbroken or, with `fill`
    below 1, that share of it inked (grey shading that noise leaves speckled)."""
    wide = round(dpi * wide_mm / 25.4)
    if mask.shape[1] < wide:
        return np.empty(0, dtype=np.intp)
    running = np.cumsum(np.pad(mask, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    return np.flatnonzero(((running[:, wide:] - running[:, :-wide]) >= wide * fill).any(axis=1))


def darkest_ink(image: Image.Image) -> np.ndarray:
    """The darker of the page's inks alone: a rubber stamp's red, blue or grey ink is lighter
    than print, so taking Otsu's threshold again among the inked pixels leaves the print and
    drops the stamp, even where it crosses the print's lines. The print's own lighter edges,
    touching its dark cores, are kept: without them 10 pt print at 100 dpi thins past reading
    ("Ref No." read "Rel No." under a grey stamp)."""
    mask = ink(image)
    cores = _darker_part(np.asarray(image, dtype=np.uint8), mask)
    grown = spread(spread(cores, 2).T, 2).T
    return mask & (grown | np.roll(np.roll(grown, -1, axis=0), -1, axis=1))


def ink_without_grain(image: Image.Image, mask: np.ndarray | None = None) -> np.ndarray:
    """The image's ink (`mask`, when the caller has it), median-filtered first when it is speckled
    (`GRAIN_SPECKLE`): heavy grain makes Otsu's threshold take the paper for ink, and a sparse
    sheet (a Data Matrix sticker alone, grain 20) measured as a page full of text."""
    mask = ink(image) if mask is None else mask
    return mask if speckle(mask) <= GRAIN_SPECKLE else ink(image.filter(ImageFilter.MedianFilter(3)))


def second_ink(image: Image.Image) -> bool:
    """Whether the page's ink holds a second ink, lighter than its print (a rubber stamp's grey,
    red or blue, or a dark grey stamp beside black print): the commonest grey among its inked
    pixels, in steps of `INK_STEP`, lighter than the two darkest steps, is at least
    `SECOND_INK_PEAK` times as common as those two together. Print alone shades off from its
    darkest grey at its letters' edges; a stamp's ink makes a peak of its own."""
    pixels = np.asarray(image, dtype=np.uint8)
    counts = np.bincount(pixels[ink_without_grain(image)] // INK_STEP, minlength=256 // INK_STEP)
    darkest = counts[:2].sum()
    return bool(counts[3:-3].max() >= SECOND_INK_PEAK * max(1, darkest))


def _darker_part(pixels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The darker class of Otsu's threshold among the inked pixels: two inks, one parting."""
    threshold = _otsu(np.bincount(pixels[mask], minlength=256).astype(np.float64))
    return mask if threshold is None else pixels <= threshold


def _reverse_video(image: Image.Image, mask: np.ndarray, dpi: float) -> np.ndarray:
    """The mask with each dark band's or box's light letters as ink: a front sheet may print its
    fields white on a dark band, or its reference white in a black box of its own, which a
    threshold shows as one block with holes. A box is rows in which ink runs unbroken for
    `REVERSED_MM` or more, `SOLID_MM` tall or taller, mostly inked, and dark (under mid-grey)
    where it is inked; inside it, what is lighter than halfway to its lightest is ink. A smaller
    box on the same rows as one is read too: a code may have a box of its own beside its
    number's ("CSC" | "2025-0142", 0.5-6 mm apart, merged silently; "AB" | "2019" | "3302",
    12-40 mm apart, read unreversed as "CE-2019-3302": testers' covers)."""
    pixels = np.asarray(image, dtype=np.uint8)
    banded = _banded_rows(mask, dpi, wide_mm=REVERSED_MM)
    if not len(banded):
        return mask
    out = mask.copy()
    # A line of letters breaks every run of ink in a narrow band: such rows join the band when it
    # goes on below them.
    for first, last in row_runs(banded, round(dpi * BAND_LINE_MM / 25.4)):
        if last - first < dpi * SOLID_MM / 25.4:
            continue
        rows = mask[first:last]
        boxes = _boxes(rows, dpi)
        if all(right - left < dpi * REVERSED_MM / 25.4 for left, right in boxes):
            continue
        for left, right in boxes:
            tones = pixels[first:last, left:right]
            dark = float(np.median(tones[rows[:, left:right]]))
            if dark < 128:
                # Parted halfway between the box's tone and its letters', not at the paper's
                # edge: small letters, blurred into the box, would be left a pixel's thread.
                out[first:last, left:right] = tones > (dark + float(tones.max())) / 2
                # The box's own blurred edges, lighter than its middle, are not a letter's "|".
                edge = max(1, round(dpi * BOX_EDGE_MM / 25.4))
                out[first:last, left : left + edge] = False
                out[first:last, right - edge : right] = False
    return out


def _boxes(rows: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """(left, right + 1) of each dark box across `rows`: a run of columns, to its blurred edges,
    cut where a column is paper (the gap between two boxes side by side), holding mostly inked
    columns (joined across a white letter's width) that are mostly inked together."""
    share = rows.mean(axis=0)
    solid = [
        (left, right)
        for left, right in row_runs(np.flatnonzero(share >= SOLID_ROW), round(dpi * LETTER_GAP_MM / 25.4))
        if rows[:, left:right].mean() >= SOLID_ROW  # else a ruled table's rules: paper inside
    ]
    return [
        (start, stop)
        for start, stop in row_runs(np.flatnonzero(share >= GAP_COLUMN), 0)
        if any(left < stop and start < right for left, right in solid)
    ]


def row_runs(rows: np.ndarray, join: int) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of row indices (ascending), gaps of up to `join` rows joined."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) > join + 1)
    starts, ends = np.r_[rows[0], rows[breaks + 1]], np.r_[rows[breaks], rows[-1]] + 1
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def remove_rules(mask: np.ndarray, min_length: int) -> np.ndarray:
    """Ink with long horizontal and vertical runs (ruled boxes, table lines) taken away, but where
    a letter's stroke stands on a horizontal rule: the rule's width under it stays with the letter.

    Tesseract drops text enclosed by lines; a run longer than any letter is a rule, not text. A
    line typed on a rule loses its letters' feet with the rule, and read so ("DSA-2013" as
    "NS4-20123", "Aoife" as "Anlfa": a fresh tester's ruled index card) showed nothing. The rule
    is kept only under a line's worth of feet, half `min_length` of columns, and not where strokes
    meet it from both sides (a descender, or a table's vertical rule left in pieces by skew): a
    few pixels kept there joined a table's columns, and a continuation page's table left a doubt.
    """
    across, down = _long_runs(mask, min_length), _long_runs(mask.T, min_length).T
    letters = mask & ~(across | down)
    rule = mask & across & ~down
    feet = _met(letters, rule, 1) & ~_met(letters, rule, -1)
    for first, last in row_runs(np.flatnonzero(feet.any(axis=1)), 0):
        if np.count_nonzero(feet[first:last].any(axis=0)) < min_length // 2:
            feet[first:last] = False  # a stray stroke, not a line of print standing on the rule
    return letters | feet


def _met(letters: np.ndarray, rule: np.ndarray, step: int) -> np.ndarray:
    """The pixels of a horizontal rule in line with a letter's stroke meeting it from above (`step`
    1) or below (-1), followed through the rule's width."""
    met = np.zeros_like(rule)
    front = letters
    for _ in range(MAX_RULE_WIDTH_PX):
        near = np.zeros_like(front)
        if step > 0:
            near[1:] = front[:-1]
        else:
            near[:-1] = front[1:]
        front = rule & near & ~met
        if not front.any():
            break
        met |= front
    return met


def print_alone(mask: np.ndarray, dpi: float) -> np.ndarray:
    """Ink with rules (`RULE_RUN_MM` long or longer) and heavy strokes (`without_heavy_strokes`)
    taken away, so that which way the lines run is judged by the letters alone: the outline of a
    card scanned on a larger sheet bands the row profile with its two long sides, and a card lying
    sideways seemed upright (a fresh tester's, merged so). Rules are found on the whole ink, before
    a table's solid crossings break them. Heavy strokes stay when they are most of what is left
    (`HEAVY_PRINT_SHARE`): then they are the print itself, not a stamp across it (a second fresh
    tester's card in 18-21 pt bold, scanned at 200 dpi, kept only crumbs and seemed upright)."""
    letters = remove_rules(mask, round(dpi * RULE_RUN_MM / 25.4))
    heavy = _solid(letters, dpi)
    if heavy.sum() > HEAVY_PRINT_SHARE * letters.sum():
        return letters
    return letters & ~heavy


def without_heavy_strokes(mask: np.ndarray, dpi: float) -> np.ndarray:
    """Ink with strokes `HEAVY_STROKE_MM` thick or thicker taken away (a morphological opening,
    subtracted): a rubber stamp's big letters, which run a cover's field lines into one muddle,
    go; the fields' own print, and the stamp's thin frame, stay."""
    return mask & ~_solid(mask, dpi)


def _solid(mask: np.ndarray, dpi: float) -> np.ndarray:
    """The ink that squares `HEAVY_STROKE_MM` wide fit inside (a morphological opening)."""
    return mask & opened(mask, max(2, round(dpi * HEAVY_STROKE_MM / 25.4)))


def in_lines_of_letters(mask: np.ndarray, dpi: float) -> np.ndarray:
    """The ink that lies in lines of letters: closed over the gaps between letters
    (`LETTER_GAP_MM`) into solid runs, then opened (`LETTER_LINE_MM`), so that line art thinner
    than a line of small print (a stamp's slanted frame, a table's short rules) falls away. A
    cover's stamp frame and rules left 6,900 unread pixels at 200 dpi, 11 times a short name's,
    and sent every such barcoded cover to be read three more ways up (1.3 s)."""
    gap, line = (max(2, round(dpi * mm / 25.4)) for mm in (LETTER_GAP_MM, LETTER_LINE_MM))
    return mask & opened(closed(mask, gap), line)


# A rule is at most this many pixels wide, its fringe included, at any resolution scanned: 2.5 mm
# at 300 dpi.
MAX_RULE_WIDTH_PX = 30


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels that lie on a horizontal run of ink at least `length` long (plus a pixel around)."""
    if length > mask.shape[1]:
        return np.zeros_like(mask)
    runs = spread(window_all(mask, length), length)
    thick = runs.copy()
    thick[1:] |= runs[:-1]
    thick[:-1] |= runs[1:]
    return thick


def speckle(mask: np.ndarray) -> float:
    """Share of ink pixels with no inked 4-neighbour: ~0 on clean print, well above on noisy scans."""
    return float(_alone(mask).sum() / max(1, int(mask.sum())))


def _alone(mask: np.ndarray) -> np.ndarray:
    """Ink pixels with no inked 4-neighbour."""
    padded = np.pad(mask, 1)
    neighbours = padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
    return mask & ~neighbours


def clean_for_ocr(image: Image.Image, dpi: float) -> Image.Image:
    """Ruled lines removed, as black text on white; speckle removed first (3×3 median) when there
    is any, because it defeats tesseract's binarisation. The median costs ~40 ms a crop, so a
    clean scan skips it."""
    mask = text_ink(image, dpi)
    if speckle(mask) > SPECKLE_LIMIT:
        mask = text_ink(image.filter(ImageFilter.MedianFilter(3)), dpi)
    mask = remove_rules(mask, min_length=max(20, int(dpi * 0.6)))
    return Image.fromarray(np.where(mask, 0, 255).astype(np.uint8))
