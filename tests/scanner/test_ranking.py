"""Label preference, ranking against the template's references, and refusing to guess."""

from __future__ import annotations

from config.settings import DEFAULT_REFERENCE_PATTERN
from scanner.cover import read_cover
from scanner.ranking import Finding, decide, rank
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
    words = (_line(100, "Ref", "No.:", "SGD-2024-0412")
             + _line(400, "Earlier", "papers", "are", "held", "under", "SGD-2019-7777", "as", "before."))
    is_cover, sheet = read_cover(words, 200, 1, DEFAULT, frozenset())
    assert is_cover
    assert sheet.case_reference == "SGD-2024-0412"
    assert [c.case_reference for c in sheet.candidates] == ["SGD-2024-0412", "SGD-2019-7777"]


def test_reference_without_label_does_not_make_a_cover() -> None:
    is_cover, _ = read_cover(_line(100, "Papers", "from", "file", "SGD-2024-0412"), 200, 1, DEFAULT, frozenset())
    assert not is_cover


def test_label_above_a_boxed_value_is_found() -> None:
    words = _line(100, "Case", "Reference") + _line(100, "Case", "Status", x=900) + _line(160, "SGD-2024-0412")
    is_cover, sheet = read_cover(words, 200, 1, DEFAULT, frozenset())
    assert is_cover and sheet.case_reference == "SGD-2024-0412"


def test_fuzzy_match_to_a_known_reference_says_what_was_read() -> None:
    finding = Finding(Reading("SGD-2024-0413", "SGD-2024-0413"), True, 80.0)
    candidates = rank([finding], frozenset({"SGD-2024-0412"}))
    assert candidates[0].case_reference == "SGD-2024-0412"
    assert candidates[0].method == "ocr-corrected"
    assert "read SGD-2024-0413" in candidates[0].reason
    assert candidates[1].case_reference == "SGD-2024-0413"
    assert decide(candidates)[0] is None  # too close to call: a person chooses


def test_exact_known_reference_outranks_unknown_reading() -> None:
    known = frozenset({"SGD-2024-0412"})
    exact = rank([Finding(Reading("SGD-2024-0412", "SGD-2024-0412"), True, 50.0)], known)
    unknown = rank([Finding(Reading("SGD-2024-0999", "SGD-2024-0999"), True, 50.0)], known)
    assert exact[0].score > unknown[0].score


def test_two_equally_good_readings_leave_the_cover_unread() -> None:
    findings = [Finding(Reading("SGD-2024-0412", "x"), True, 90.0), Finding(Reading("SGD-2024-0999", "y"), True, 90.0)]
    reference, method, confidence = decide(rank(findings, frozenset()))
    assert reference is None and method is None and confidence < 0.5


def test_corrected_reading_scores_below_a_clean_one() -> None:
    clean = rank([Finding(Reading("SGD-2024-0412", "SGD-2024-0412"), True, 90.0)], frozenset())
    fixed = rank([Finding(Reading("SGD-2024-0412", "SGD-2O24-0412", ("O→0",)), True, 90.0)], frozenset())
    assert fixed[0].score < clean[0].score and fixed[0].method == "ocr-corrected"
