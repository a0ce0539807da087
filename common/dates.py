"""UK day-first dates, as typed on cover sheets and in migration templates.

One parser for both, so a date of birth read from a cover compares equal to the template's.
"""

from __future__ import annotations

import re
from datetime import date

# By their first three letters, which OCR gets right far more often than the rest of the word.
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}

NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4}|\d{2})(?!\d)")
# "14 02 2011": a form's boxes for day, month and year, read with no separator but the gaps.
SPACED_DATE = re.compile(r"(?<!\d)(?<!\d )(\d{1,2}) {1,3}(\d{1,2}) {1,3}((?:19|20)\d{2})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")  # and "2015/04/03"
# "12 March 2014", "12th of Mar. 2014", with hyphens, dots or slashes ("12-Mar-2014"), and a
# stamp's or a hand's two-digit year ("12 MAR 20", "3rd Apr '15").
_APART = r"(?:\s+|\s*[-./]\s*)"
WORDED_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?{_APART}(?:of\s+)?([A-Za-z]{{3,9}})\.?,?{_APART}'?(\d{{4}}|\d{{2}})(?!\d)",
    re.IGNORECASE,
)
# "April 3, 2015", "Apr 3rd 2015", "Apr-03-2015": month first, as US forms print it. The month
# must be spelt as one ("Mayfield 12 2020" is no date).
MONTH_FIRST_DATE = re.compile(
    rf"(?<![A-Za-z])([A-Za-z]{{3,9}})\.?{_APART}(\d{{1,2}})(?:st|nd|rd|th)?,?{_APART}(\d{{4}})(?!\d)", re.IGNORECASE
)
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)


def _year(text: str, today: date) -> int:
    """Two-digit years are taken as the most recent year not in the future (a date of birth)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_uk_date(text: str, today: date | None = None) -> date | None:
    """The date a whole cell or field holds, read day-first; None when it holds none or several."""
    found = find_uk_dates(text.strip(), today)
    return found[0] if len(found) == 1 else None


def first_uk_date(text: str, today: date | None = None) -> date | None:
    """The first date in a run of text, e.g. the words beside a 'Date of birth' label."""
    found = find_uk_dates(text, today)
    return found[0] if found else None


def find_uk_dates(text: str, today: date | None = None) -> list[date]:
    """Every date in a run of text, day-first, in the order they appear."""
    return [value for _, _, value in find_date_spans(text, today)]


def find_date_spans(text: str, today: date | None = None) -> list[tuple[int, int, date]]:
    """(start, end, date) for every date in a run of text, in the order they appear; where two
    shapes read overlapping characters, the one starting first stands."""
    today = today or date.today()
    hits: list[tuple[int, int, date]] = []
    for match in ISO_DATE.finditer(text):
        _add(hits, match, _make(int(match[1]), int(match[2]), int(match[3])))
    for match in NUMERIC_DATE.finditer(text):
        _add(hits, match, _make(_year(match[3], today), int(match[2]), int(match[1])))
    for match in SPACED_DATE.finditer(text):
        _add(hits, match, _make(int(match[3]), int(match[2]), int(match[1])))
    for match in WORDED_DATE.finditer(text):
        month = MONTHS.get(match[2][:3].lower())
        _add(hits, match, _make(_year(match[3], today), month, int(match[1])) if month else None)
    for match in MONTH_FIRST_DATE.finditer(text):
        month = next((n for n, name in enumerate(_MONTH_NAMES, 1) if name.startswith(match[1].lower())), None)
        _add(hits, match, _make(int(match[3]), month, int(match[2])) if month else None)
    return sorted(hits, key=lambda hit: hit[0])


def _add(hits: list[tuple[int, int, date]], match: re.Match[str], value: date | None) -> None:
    if value is not None and not any(start < match.end() and match.start() < end for start, end, _ in hits):
        hits.append((match.start(), match.end(), value))
