"""The value a label introduces, placed as other offices' forms place it (no tesseract needed)."""

from __future__ import annotations

from scanner.fields import read_fields
from scanner.labels import REFERENCE_LABELS
from scanner.layout import find_label, group_lines, value_after
from scanner.tesseract import Word

DPI = 300
MM = DPI / 25.4


def word(text: str, left_mm: float, top_mm: float, height_mm: float = 4.0) -> Word:
    return Word(text, 95.0, round(left_mm * MM), round(top_mm * MM), round(len(text) * 2.2 * MM), round(height_mm * MM))


def _value(words: list[Word], label: tuple[str, ...]) -> str:
    lines = group_lines(words)
    for index, line in enumerate(lines):
        end = find_label(line, label)
        if end is not None:
            return " ".join(w.text for w in value_after(lines, index, end, DPI))
    raise AssertionError(f"no {label} label")


def test_a_value_below_its_label_is_the_one_under_it_not_in_the_column_beside_it() -> None:
    # "File ref" over a box holding the reference; the name sits to the right, slightly higher,
    # so grouping puts its line between the label's and the reference's.
    words = [
        word("File", 20, 30, 7),
        word("ref", 34, 30, 7),
        word("Zoë", 120, 40),
        word("O'Brien", 130, 40),
        word("DSA-2022-5119", 23, 43, 5.5),
        word("13/01/1941", 120, 46),
    ]
    assert _value(words, ("file", "ref*")) == "DSA-2022-5119"


def test_labels_above_values_in_columns_take_their_own_column() -> None:
    words = [
        word("Case", 20, 30),
        word("No:", 30, 30),
        word("Name", 85, 30),
        word("Date", 150, 30),
        word("CSC-2016-70570", 20, 36),
        word("Zoë", 85, 36),
        word("O'Brien", 94, 36),
        word("19/09/1983", 150, 36),
    ]
    assert _value(words, ("case", "no*")) == "CSC-2016-70570"
    assert _value(words, ("name",)) == "Zoë O'Brien"


def test_a_value_in_the_right_hand_cell_of_a_ruled_table() -> None:
    words = [
        word("Ref", 22, 30),
        word("No.", 30, 30),
        word("DSA-2018-6558", 55, 30),
        word("Subject", 22, 40),
        word("Amelia", 55, 40),
        word("Hart", 72, 40),
    ]
    assert _value(words, ("ref", "no*")) == "DSA-2018-6558"


def test_right_aligned_labels_against_a_column_of_values() -> None:
    words = [
        word("Reference", 44, 30),
        word("number", 66, 30),
        word("CSC-2015-280402", 84, 30),
        word("Full", 66, 38),
        word("name", 74, 38),
        word("Zoë", 84, 38),
    ]
    assert _value(words, ("reference*",)).endswith("CSC-2015-280402")


def test_every_label_word_of_product_md_and_issue_12_is_a_reference_label() -> None:
    printed = ["Case Reference:", "Ref No.", "File ref", "Our ref", "File No.", "Case No:", "Reference number"]
    for text in printed:
        words = [word(part, 20 + 12 * n, 30) for n, part in enumerate(text.split())]
        line = group_lines(words)[0]
        assert any(find_label(line, label) is not None for label in REFERENCE_LABELS), text


def test_a_header_row_of_labels_has_its_values_in_the_row_below() -> None:
    words = [
        word("Case", 22, 30),
        word("No:", 32, 30),
        word("Surname", 82, 30),
        word("Forename", 127, 30),
        word("D.O.B.", 162, 30),
        word("CSC-2020-592782", 22, 39),
        word("Ó", 82, 39),
        word("Súilleabháin", 86, 39),
        word("Siobhán", 127, 39),
        word("11/10/1986", 162, 39),
    ]
    assert _value(words, ("case", "no*")) == "CSC-2020-592782"
    assert _value(words, ("surname",)) == "Ó Súilleabháin"
    assert _value(words, ("forename*",)) == "Siobhán"


def test_label_words_tesseract_ran_together_are_still_the_label() -> None:
    """Tight or bold print makes tesseract read "Case Reference:" as one word, "CaseReference:";
    a cover whose only label reads so must still show its label."""
    for text, label in [
        ("CaseReference:", ("case", "reference")),
        ("CaseRef", ("case", "ref*")),
        ("RefNo.", ("ref", "no*")),
        ("FileNo.", ("file", "no")),
        ("Fullname", ("full", "name")),
        ("DateofBirth", ("date", "of", "birth")),
    ]:
        words = [word(text, 20, 30), word("DSA-2018-6558", 60, 30)]
        assert _value(words, label) == "DSA-2018-6558", text


def test_a_word_that_only_starts_like_run_together_label_words_is_no_label() -> None:
    for text, label in [("Casenotes", ("case", "no*")), ("Referendum", ("ref", "no*")), ("Filenotes", ("file", "no"))]:
        line = group_lines([word(text, 20, 30), word("DSA-2018-6558", 70, 30)])[0]
        assert find_label(line, label) is None, text


def test_values_in_a_far_column_beside_their_labels_are_read() -> None:
    """A second user's trial: labels at the margin, values at a tab stop 66 mm in (52 mm right of
    "Name:"): the name was not read, so a cover naming someone else was linked."""
    words = [
        word("Case", 20, 30),
        word("Reference:", 30, 30),
        word("CP-2024-0301", 86, 30),
        word("Name:", 20, 38),
        word("PETER", 86, 38),
        word("PIPER", 101, 38),
    ]
    assert _value(words, ("case", "reference")) == "CP-2024-0301"
    assert _value(words, ("name",)) == "PETER PIPER"


def test_a_blank_field_takes_no_name_from_another_field_further_along_its_line() -> None:
    for later in (["Date", "of", "birth:", "01/02/2010"], ["Status:", "Open"], ["Gender:", "F"]):
        words = [word("Name:", 20, 38), *(word(text, 110 + 14 * n, 38) for n, text in enumerate(later))]
        assert read_fields(group_lines(words), DPI).name is None, later


def test_a_label_s_full_stop_parts_it_from_a_reference_but_not_an_item_s_number() -> None:
    """ "Ref.No.KCC-2019-4412" read as one word named no case (tryout 24); "Item No.12 2019-2020"
    parted so was read as a reference, "IZ-2019-2020", and split a letter (tryout 25)."""
    parted = [w.text for w in group_lines([word(".No.KCC-2019-4412", 20, 30)])[0].words]
    assert parted == [".No.", "KCC-2019-4412"]
    kept = [w.text for w in group_lines([word("Item", 20, 30), word("No.12", 32, 30)])[0].words]
    assert kept == ["Item", "No.12"]
