"""Case references: the canonical form, and reading one out of noisy text.

A reference is written many ways ("SGD-2024-0412", "sgd / 2024 0412", "SGD 2024/0412"). Its
canonical form is the pattern's named groups, upper-cased and joined by '-', so the template, a
barcode and an OCR reading of the same reference compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import interegular

# What a reference's separator may read as: a hyphen crossed by a stamp's ring or by grain reads
# "+", "~" or "=" ("CSC+2020-720" under a coloured stamp, its ink dropped), never a reference's own.
SEPARATORS = r"[\s\-/_.+~=\u2010-\u2015\\]+"
_SEPARATOR_RUN = re.compile(SEPARATORS)
_JOINERS = ("-", " ", "/", "")


@lru_cache(maxsize=64)
def compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Compiled once per process; patterns come from settings and never change while scanning."""
    return tuple(re.compile(p) for p in patterns)


MAX_READING_LENGTH = 40


def _width(pattern: str) -> tuple[int, int]:
    try:
        shortest, longest = interegular.parse_pattern(pattern).lengths
    except (interegular.patterns.Unsupported, interegular.patterns.InvalidSyntax):
        return 1, MAX_READING_LENGTH  # a pattern interegular cannot model is tried on every length
    return shortest, MAX_READING_LENGTH if longest is None else min(longest, MAX_READING_LENGTH)


@lru_cache(maxsize=64)
def text_widths(patterns: tuple[str, ...]) -> tuple[int, int]:
    """The shortest and longest text any pattern can match, at most MAX_READING_LENGTH: a cheap
    test that rules out most words of a page before the costly trial of corrections."""
    widths = [_width(p) for p in patterns]
    return min(w[0] for w in widths), max(w[1] for w in widths)


def canonical_from_match(match: re.Match[str]) -> str:
    """The named groups in pattern order, upper-cased and joined; the whole match if none."""
    groups = sorted(match.re.groupindex.items(), key=lambda item: item[1])
    parts = [match.group(name) for name, _ in groups if match.group(name)]
    if not parts:
        return _SEPARATOR_RUN.sub("-", match.group(0).upper()).strip("-")
    return "-".join(part.upper() for part in parts)


def separator_variants(text: str) -> list[str]:
    """The text with each run of separators rewritten as each separator a pattern may expect."""
    stripped = text.strip()
    variants = [stripped]
    for joiner in _JOINERS:
        variant = _SEPARATOR_RUN.sub(joiner, stripped)
        if variant not in variants:
            variants.append(variant)
    return variants


def canonical_reference(text: str, patterns: Sequence[str]) -> str | None:
    """The canonical form of `text` if the whole of it is a reference under any pattern, else None.

    Pure and strict: no character corrections, so a template cell is keyed exactly as written.
    Letters are compared upper-cased, separators (any run of '-', '/', spaces, '.', '_') are free.
    """
    if not text or not text.strip():
        return None
    compiled = compile_patterns(tuple(patterns))
    for variant in separator_variants(text.upper()):
        for pattern in compiled:
            match = pattern.fullmatch(variant)
            if match:
                return canonical_from_match(match)
    return None


# OCR confuses these shapes. A character is read as a letter or a digit by its position in the
# pattern, so only the flips the pattern asks for are made, fewest first. Bold capitals at the
# triage copy's resolution close up: "DSA-2021-98143" in 20 pt bold read "DS4-2021.9814" (a
# fresh tester's ruled index card, merged).
TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "|": "1",
    "!": "1",
    "S": "5",
    "B": "8",
    "Z": "2",
    "G": "6",
    "A": "4",
}
TO_LETTER = {"$": "S", "0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A"}
MAX_CORRECTIONS = 3
EARLIEST_YEAR, LATEST_YEAR = 1900, 2099  # of a reading's `year` group
_OCR_JOINERS = ("-", " ", "/")
# What OCR makes of a speck beside a word: typographic quotes as often as plain ones ("‘TxG/2012"
# for a bold 8 pt reference in a corner, merged silently).
EDGE_PUNCTUATION = " .,:;()[]{}'\"*#‘’‚‛“”„‟«»`´"
# A space OCR puts inside a run of figures, beside a narrow "1" above all ("TXG/20 12/8463"). It
# is told from a separator only where the reference's separators are printed marks: in "DOB 20 11
# 2019" or "No. 20 11 2019" the spaces are the print's own.
_DIGIT_GAP = re.compile(r"(?<=\d) (?=\d)")
_PRINTED_MARK = re.compile(r"[-/\u2010-\u2015]")
MAX_JOINS = 2


def figures_closed(text: str) -> str:
    """The text with every space between two figures taken out."""
    return _DIGIT_GAP.sub("", text)


@dataclass(frozen=True)
class Reading:
    """A reference read from text: canonical form, what was on the page, and what was changed."""

    canonical: str
    raw: str
    corrections: tuple[str, ...] = ()


def _flip(char: str) -> str | None:
    """The other reading of a confusable character; a lower-case l is a misread 1, never an L."""
    if char in TO_LETTER:
        return TO_LETTER[char]
    if char == "l":
        return "1"
    return TO_DIGIT.get(char.upper())


def _match_any(text: str, compiled: Sequence[re.Pattern[str]]) -> str | None:
    for pattern in compiled:
        match = pattern.fullmatch(text)
        if match and _plausible_year(match):
            return canonical_from_match(match)
    return None


def _plausible_year(match: re.Match[str]) -> bool:
    """Whether a pattern's `year` group, when it has one, holds a year a case can have: OCR read
    "CY-2616-2762" for a blurred, stamped "CY-2010-2702", a well-formed reading of no case. A
    template's own references are keyed as written (`canonical_reference`)."""
    year = match.groupdict().get("year")
    return year is None or not year.isdigit() or EARLIEST_YEAR <= int(year) <= LATEST_YEAR


def may_be_a_year(digits: str) -> bool:
    """Whether `digits`, a `year` group read whole or cut short, are or begin a year a case can
    have: text shaped like a reference whose year no case has ("NN 6969602", "EF 9228") is
    upside-down or garbled print, not a cover's reference."""
    return any(str(year).startswith(digits) for year in range(EARLIEST_YEAR, LATEST_YEAR + 1))


def read_corrected(raw: str, patterns: Sequence[str]) -> Reading | None:
    """Read `raw` as one reference, flipping as few confusable characters as the pattern needs.

    Separators keep their places (never joined away), so "2024-78052" cannot be re-cut into a
    different reference; only when nothing reads as printed, and the text has a hyphen or a
    slash, are one or two spaces between figures closed, as a correction. More than one equally
    cheap reading means the text is ambiguous: None.
    """
    return _read_corrected(raw, tuple(patterns))


@lru_cache(maxsize=8192)
def _read_corrected(raw: str, patterns: tuple[str, ...]) -> Reading | None:
    """Remembered per process: a batch repeats its labels and headings on page after page, and
    each reading tries every combination of flips (a tenth of the page's Python time)."""
    text = raw.strip(EDGE_PUNCTUATION)
    if not text or len(text) > MAX_READING_LENGTH:
        return None
    reading = _read_as_printed(text, patterns)
    if reading is not None or not _PRINTED_MARK.search(text):
        return reading
    gaps = [m.start() for m in _DIGIT_GAP.finditer(text)]
    for count in range(1, min(MAX_JOINS, len(gaps)) + 1):
        found: dict[str, Reading] = {}
        for joined in combinations(gaps, count):
            closed = "".join(ch for i, ch in enumerate(text) if i not in joined)
            read = _read_as_printed(closed, patterns)
            if read is not None:
                found.setdefault(read.canonical, Reading(read.canonical, text, ("figures joined", *read.corrections)))
        if found:
            return next(iter(found.values())) if len(found) == 1 else None
    return None


def _read_as_printed(text: str, patterns: tuple[str, ...]) -> Reading | None:
    compiled = compile_patterns(patterns)
    shortest, longest = text_widths(patterns)
    for joined in dict.fromkeys(_SEPARATOR_RUN.sub(j, text) for j in _OCR_JOINERS):
        if not shortest <= len(joined.upper()) <= longest:
            continue
        flippable = [i for i, ch in enumerate(joined) if _flip(ch) is not None]
        for count in range(min(MAX_CORRECTIONS, len(flippable)) + 1):
            found: dict[str, tuple[str, ...]] = {}
            for positions in combinations(flippable, count):
                chars = list(joined.upper())
                changes = []
                for i in positions:
                    flipped = _flip(joined[i])
                    changes.append(f"{joined[i]}→{flipped}")
                    chars[i] = flipped or chars[i]
                canonical = _match_any("".join(chars), compiled)
                if canonical is not None:
                    found.setdefault(canonical, tuple(changes))
            if len(found) == 1:
                canonical, corrections = next(iter(found.items()))
                return Reading(canonical, text, corrections)
            if found:
                return None
    return None


def readings_in_line(
    words: Sequence[str], patterns: Sequence[str], max_words: int = 5
) -> list[tuple[int, int, Reading]]:
    """Every reference in a line of words as (first word, end word, reading), without overlaps.

    A reading that needs no correction beats an overlapping one that does; then the longer wins,
    so "SGD - 2024-78052" is read whole rather than as a corrected fragment of it.
    """
    found: list[tuple[int, int, Reading]] = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + max_words) + 1):
            reading = read_corrected(" ".join(words[start:end]), patterns)
            if reading is not None:
                found.append((start, end, reading))
    found.sort(key=lambda item: (len(item[2].corrections), -(item[1] - item[0]), item[0]))
    chosen: list[tuple[int, int, Reading]] = []
    for start, end, reading in found:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, reading))
    return sorted(chosen, key=lambda item: item[0])
