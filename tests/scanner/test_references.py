"""Reference parsing, position-aware correction and line reading: pure functions, by table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.references import MAX_READING_LENGTH, canonical_reference, read_corrected, readings_in_line, text_widths

DEFAULT = [DEFAULT_REFERENCE_PATTERN]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sgd / 2024 0412", "SGD-2024-0412"),
        ("SGD - 2024-78052", "SGD-2024-78052"),
        ("SGD20240412", "SGD-2024-0412"),
        ("abcd 2024 123456", "ABCD-2024-123456"),
        ("SGD+2024-0412", "SGD-2024-0412"),  # a hyphen crossed by a stamp's ring or by grain
        ("SGD~2024=0412", "SGD-2024-0412"),
        ("SG-2024-12", None),
        ("X-2024-0412", None),
        ("SGD-2024-0412 extra", None),
        ("", None),
    ],
)
def test_canonical_reference_default_pattern(text: str, expected: str | None) -> None:
    assert canonical_reference(text, DEFAULT) == expected


def test_configured_patterns_replace_the_default() -> None:
    patterns = [r"(?P<area>[A-Z])(?P<number>\d{6})"]
    assert canonical_reference("c123456", patterns) == "C-123456"
    assert canonical_reference("SGD-2024-0412", patterns) is None


@pytest.mark.parametrize(
    "raw, expected, changes",
    [
        ("5GD-2024-0412", "SGD-2024-0412", ("5→S",)),
        ("SGD-2O24-0412", "SGD-2024-0412", ("O→0",)),
        ("SGD-2024-04l2", "SGD-2024-0412", ("l→1",)),
        ("SGD-2024-O4I2", "SGD-2024-0412", ("O→0", "I→1")),
        ("8GD-2024-0412", "BGD-2024-0412", ("8→B",)),
        ("SGD-2024-04B2", "SGD-2024-0482", ("B→8",)),
        ("S6D-2024-0412", "SGD-2024-0412", ("6→G",)),
        ("SGD-2024-0Z12", "SGD-2024-0212", ("Z→2",)),
        ("2GD-2024-G412", "ZGD-2024-6412", ("2→Z", "G→6")),
        ("C$C2018652107", "CSC-2018-652107", ("$→S",)),
        ("SGD-2024-0412", "SGD-2024-0412", ()),
    ],
)
def test_corrections_follow_the_pattern_positions(raw: str, expected: str, changes: tuple[str, ...]) -> None:
    reading = read_corrected(raw, DEFAULT)
    assert reading is not None
    assert (reading.canonical, reading.corrections) == (expected, changes)


@pytest.mark.parametrize("raw", ["2024-78052", "ABC-2O24-IOO", "hello", "SGD-2024"])
def test_unreadable_or_too_damaged_text_gives_nothing(raw: str) -> None:
    assert read_corrected(raw, DEFAULT) is None


def test_spaced_reference_is_read_whole_not_as_a_corrected_fragment() -> None:
    found = readings_in_line(["Case", "Reference:", "SGD", "-", "2024-78052", "filed"], DEFAULT)
    assert [r.canonical for _, _, r in found] == ["SGD-2024-78052"]


_PREFIX = st.text(alphabet="ABCDEFGHJKMNPRTUVWXY", min_size=2, max_size=4)


@given(
    prefix=_PREFIX,
    year=st.integers(1990, 2099),
    number=st.text(alphabet="0123456789", min_size=3, max_size=6),
    separator=st.sampled_from(["-", "/", " ", " - ", " / ", ""]),
    lower=st.booleans(),
)
def test_any_generated_reference_survives_format_read_canonical(
    prefix: str, year: int, number: str, separator: str, lower: bool
) -> None:
    canonical = f"{prefix}-{year}-{number}"
    printed = separator.join((prefix, str(year), number))
    printed = printed.lower() if lower else printed
    assert canonical_reference(printed, DEFAULT) == canonical
    reading = read_corrected(printed, DEFAULT)
    assert reading is not None and reading.canonical == canonical


@pytest.mark.parametrize(
    "patterns, widths",
    [
        ((DEFAULT_REFERENCE_PATTERN,), (9, 16)),
        ((r"(?P<prefix>[A-Z]+)-(?P<number>\d+)",), (3, MAX_READING_LENGTH)),
        ((r"(?P<number>\d{6})", r"(?P<prefix>[A-Z]{2})(?P<number>\d{3})"), (5, 6)),
        ((r"(?P<a>[A-Z])(?P=a)\d{4}",), (1, MAX_READING_LENGTH)),  # a back-reference: every length is tried
    ],
)
def test_text_widths_bound_what_a_pattern_can_match(patterns: tuple[str, ...], widths: tuple[int, int]) -> None:
    assert text_widths(patterns) == widths


def test_a_pattern_with_a_back_reference_still_reads() -> None:
    reading = read_corrected("AA1234", [r"(?P<a>[A-Z])(?P=a)(?P<number>\d{4})"])
    assert reading is not None and reading.canonical == "A-1234"


@pytest.mark.parametrize("raw", ["CY-2616-2762", "SGD-0022-4471", "DSA-2813-0412", "MAR-6859-021", "ABC-1899-1234"])
def test_a_reading_whose_year_no_case_can_have_is_no_reading(raw: str) -> None:
    """A seventh tester's blurred, stamped "CY-2010-2702" read "CY-2616-2762": well formed, and
    no case's. A template holding such a reference still keys it as written."""
    assert read_corrected(raw, DEFAULT) is None
    assert canonical_reference(raw, DEFAULT) == raw


@pytest.mark.parametrize("raw", ["CY-1900-2762", "SGD-2099-4471", "SGD-2O24-0412"])
def test_a_reading_of_a_possible_year_still_reads(raw: str) -> None:
    assert read_corrected(raw, DEFAULT) is not None


@pytest.mark.parametrize(
    "raw, expected, changes",
    [
        ("TXG/20 12/8463", "TXG-2012-8463", ("figures joined",)),  # bold 8 pt in a corner, merged silently
        ("TXG/20 1 2/8463", "TXG-2012-8463", ("figures joined",)),
        ("SGD-2024-04 12", "SGD-2024-0412", ("figures joined",)),
        ("SG-20 18 5078", "SG-2018-5078", ("figures joined",)),
        ("SGD-2O2 4-0412", "SGD-2024-0412", ("figures joined", "O→0")),
    ],
)
def test_a_space_ocr_put_between_figures_is_closed_as_a_correction(
    raw: str, expected: str, changes: tuple[str, ...]
) -> None:
    reading = read_corrected(raw, DEFAULT)
    assert reading is not None
    assert (reading.canonical, reading.raw, reading.corrections) == (expected, raw, changes)


def test_figures_are_joined_under_a_pattern_that_prints_its_separators() -> None:
    reading = read_corrected("ABC-20 24-0412", [r"(?P<prefix>[A-Z]{3})-(?P<year>\d{4})-(?P<number>\d{4})"])
    assert reading is not None and reading.canonical == "ABC-2024-0412"


@pytest.mark.parametrize(
    "raw",
    [
        "DOB 20 11 2019",  # spaces are the print's own where no hyphen or slash is printed
        "No. 20 11 2019",
        "TXG/26 16/8463",  # joined, the year is still one no case can have
        "TXG/2 0 1 2/8463",  # more than two gaps to close
    ],
)
def test_figures_are_not_joined_into_what_no_reference_prints(raw: str) -> None:
    assert read_corrected(raw, DEFAULT) is None


def test_a_reading_as_printed_beats_one_with_figures_joined() -> None:
    found = readings_in_line(["Ref:", "SGD-2024-0412", "7"], DEFAULT)
    assert [(r.canonical, r.corrections) for _, _, r in found] == [("SGD-2024-0412", ())]


@pytest.mark.parametrize("raw", ["‘TxG/2012/8463", "“SGD-2024-0412”", "«SGD-2024-0412»", "`SGD-2024-0412´"])
def test_a_speck_read_as_a_quote_beside_a_reference_is_read_past(raw: str) -> None:
    reading = read_corrected(raw, DEFAULT)
    assert reading is not None and reading.corrections == ()
