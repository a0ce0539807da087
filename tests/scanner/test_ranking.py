"""Label preference, readings with their evidence (never ranked against the template here), and refusing to guess."""

from __future__ import annotations

import pytest

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.cover import barcode_cover, read_cover
from scanner.ranking import Finding, favoured, rank
from scanner.references import Reading
from scanner.tesseract import Word

DEFAULT = [DEFAULT_REFERENCE_PATTERN]


def _line(y: int, *texts: str, x: int = 100) -> list[Word]:
    words = []
    for text in texts:
        words.append(Word(text, 90.0, x, y, 20 * len(text), 30))
        x += 20 * len(text) + 15
    return words


def test_labelled_reference_beats_reference_in_the_body_text() -> None:
    words = _line(100, "Ref", "No.:", "SGD-2024-0412") + _line(
        400, "Earlier", "papers", "are", "held", "under", "SGD-2019-7777", "as", "before."
    )
    is_cover, sheet = read_cover(words, 200, 1, DEFAULT)
    assert is_cover
    assert sheet.case_reference == "SGD-2024-0412"
    assert [c.case_reference for c in sheet.candidates] == ["SGD-2024-0412", "SGD-2019-7777"]


def test_reference_without_label_does_not_make_a_cover() -> None:
    is_cover, _ = read_cover(_line(100, "Papers", "from", "file", "SGD-2024-0412"), 200, 1, DEFAULT)
    assert not is_cover


def test_label_above_a_boxed_value_is_found() -> None:
    words = _line(100, "Case", "Reference") + _line(100, "Case", "Status", x=900) + _line(160, "SGD-2024-0412")
    is_cover, sheet = read_cover(words, 200, 1, DEFAULT)
    assert is_cover and sheet.case_reference == "SGD-2024-0412"


def test_readings_carry_their_evidence_and_are_never_matched_to_a_template_here() -> None:
    finding = Finding(Reading("SGD-2024-0413", "SGD-2O24-0413", ("O→0",)), True, 80.0)
    (candidate,) = rank([finding])
    assert (candidate.case_reference, candidate.method) == ("SGD-2024-0413", "ocr-corrected")
    assert (candidate.labelled, candidate.corrections, candidate.word_confidence) == (True, ("O→0",), 80.0)
    assert favoured((candidate,))[0] == "SGD-2024-0413"  # as read: only the catalogue knows the template


def test_two_equally_good_readings_leave_the_cover_unread() -> None:
    findings = [Finding(Reading("SGD-2024-0412", "x"), True, 90.0), Finding(Reading("SGD-2024-0999", "y"), True, 90.0)]
    reference, method, _ = favoured(rank(findings))
    assert reference is None and method is None


def test_corrected_reading_scores_below_a_clean_one() -> None:
    clean = rank([Finding(Reading("SGD-2024-0412", "SGD-2024-0412"), True, 90.0)])
    fixed = rank([Finding(Reading("SGD-2024-0412", "SGD-2O24-0412", ("O→0",)), True, 90.0)])
    assert fixed[0].score < clean[0].score and fixed[0].method == "ocr-corrected"


def test_barcodes_that_disagree_leave_the_cover_without_a_reference_and_keep_both() -> None:
    cover = barcode_cover(
        [("SGD-2024-0412", "SGD-2024-0412"), ("CSC-2019-0077", "CSC/2019/0077"), ("SGD-2024-0412", "SGD20240412")], 1
    )
    assert cover.case_reference is None
    assert [c.case_reference for c in cover.candidates] == ["SGD-2024-0412", "CSC-2019-0077"]
    assert {c.method for c in cover.candidates} == {"barcode"}
    agreeing = barcode_cover([("SGD-2024-0412", "SGD-2024-0412"), ("SGD-2024-0412", "SGD20240412")], 1)
    assert (agreeing.case_reference, agreeing.method) == ("SGD-2024-0412", "barcode")


@pytest.mark.parametrize(
    "texts, x_gap, labelled",
    [
        (("Case", "Reference:", "SGD-2024-0412"), 15, True),
        (("Ref", "No.", "SGD-2024-0412"), 15, True),
        (("CONFIDENTIAL", "File", "ref", "SGD-2024-0412"), 60, True),  # a header band's cell, 7.6 mm on
        (("|", "Case", "No", "SGD-2024-0412"), 15, True),  # a table's rule read as a mark
        (("Maya's", "file,", "reference", "SGD-2024-0412,", "was", "opened"), 15, False),
        (("held", "under", "case", "reference", "SGD-2024-0412", "since"), 15, False),
        (("the", "family's", "ref", "SGD-2024-0412", "was", "closed"), 15, False),
        (("reference", "SGD-2024-0412", "was", "opened", "after", "a", "referral"), 15, False),  # wrapped
        (("File", "ref", "SGD-2024-0412", "|", "Opened", "01/02/2020"), 15, True),  # a table's row
        (("3.", "Case", "reference", "SGD-2024-0412"), 15, True),  # a form's numbered item
        (("(b)", "Ref", "No", "SGD-2024-0412"), 15, True),
        (("A", "ref", "SGD-2024-0412"), 15, False),  # "A" opening a sentence is no item number
    ],
)
def test_a_label_in_a_sentence_is_a_word_not_a_field(texts: tuple[str, ...], x_gap: int, labelled: bool) -> None:
    """A referral form's sentence quoting a reference was linked automatically, its "file,
    reference" read as the label "File ref"; a label opens its line or cell, or ends in a colon."""
    words, x = [], 100
    for number, text in enumerate(texts):
        words.append(Word(text, 90.0, x, 100, 20 * len(text), 30))
        x += 20 * len(text) + (x_gap if number == 0 else 15)
    _, sheet = read_cover(words, 200, 1, DEFAULT)
    assert [c.labelled for c in sheet.candidates] == [labelled]
