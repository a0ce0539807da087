"""A person's name as a cover may give it: OCR's reading of letters outside ASCII, middle names
left out or given as initials, words run together or parted. Pure: no database, no I/O."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz

from records.template import TemplateRecord, name_key


def name_tokens(text: str) -> str:
    """Words normalised one by one, so word order can be ignored ("O'Brien, Zoë" = "Zoë O'Brien")."""
    return " ".join(sorted(filter(None, (name_key(word) for word in text.replace("-", " ").split()))))


def words_of(text: str) -> list[str]:
    return [key for word in text.replace("-", " ").split() if (key := name_key(word))]


# A nickname in quotes inside a name ('Tyler "TJ" Brennan'); not an apostrophe's ("O'Brien's").
_NICKNAME = re.compile(r"(?<!\S)[\"“”‘’'][^\W\d_]{1,12}[\"“”‘’'](?!\w)")


def without_nicknames(text: str) -> str:
    """The text with each nickname in quotes left out, so that the name around it is spelt whole:
    a fresh tester's front sheet for 'Tyler "TJ" Brennan', listing his sister with her date of
    birth below, was held as his sister's."""
    return _NICKNAME.sub(" ", text)


@dataclass(frozen=True)
class WholeName:
    """A record's name as a cover may spell it: `first` words, then up to `MAX_MIDDLE_WORDS` of
    `middle` (the record's own middle names, or an initial), then `last` words. "Jack T Smith" and
    "Jack Smith" both spell "Jack Thomas Smith": a sibling's name in a "Siblings:" line counted as
    named before the sheet's own child when the child's middle name or initial kept theirs from
    being found (a fresh tester's covers, 16 of 16 linked to the sibling)."""

    first: tuple[str, ...]
    middle: frozenset[str]
    last: tuple[str, ...]

    def at(self, words: Sequence[str], start: int) -> bool:
        return self.end(words, start) is not None

    def end(self, words: Sequence[str], start: int) -> int | None:
        """Where the name spelt from word `start` ends (one past its last word), or None."""
        end = start + len(self.first)
        if tuple(words[start:end]) != self.first:
            return None
        for skipped in range(MAX_MIDDLE_WORDS + 1):
            last = end + skipped + len(self.last)
            if tuple(words[end + skipped : last]) == self.last:
                return last
            if end + skipped >= len(words) or not _may_be_middle(words[end + skipped], self.middle):
                return None
        return None


MAX_MIDDLE_WORDS = 2


def _may_be_middle(word: str, middle: frozenset[str]) -> bool:
    return len(word) == 1 or word in middle


def whole_names(record: TemplateRecord) -> list[WholeName]:
    """A record's name forename first and surname first; none for a one-word name, which any
    line of text might hold. A double-barrelled forename ("Mary-Ann") is its first word whole."""
    forenames, surname = (record.forename or "").split(), tuple(words_of(record.surname or ""))
    if forenames and surname:
        first, middle = tuple(words_of(forenames[0])), frozenset(words_of(" ".join(forenames[1:])))
        if first:
            return [WholeName(first, middle, surname), WholeName(surname, frozenset(), first)]
    whole = tuple(words_of(record.name))
    return [WholeName(whole, frozenset(), ())] if len(whole) > 1 else []


def spells_out(text: str, record: TemplateRecord) -> bool:
    """Whether the text holds the record's whole name (`WholeName`), forename or surname first."""
    words = words_of(without_nicknames(text))
    return any(name.at(words, start) for name in whole_names(record) for start in range(len(words)))


@dataclass(frozen=True)
class CoverWords:
    """A cover's text as `name_key` sees it, run together, with where each of its words starts
    and ends: a name is found in it only from a word's start to a word's end."""

    joined: str
    starts: frozenset[int]
    ends: frozenset[int]

    @classmethod
    def of(cls, text: str) -> CoverWords:
        words = words_of(without_nicknames(text))
        ends = list(accumulate(len(word) for word in words))
        return cls("".join(words), frozenset([0, *ends[:-1]]), frozenset(ends))

    def spell(self, name: str) -> bool:
        """Whether the name, its spaces and punctuation ignored (OCR parts "O' Brien" and runs
        "JACKSMITH" together), lies here from a word's start to a word's end: "Ann Smith" is not
        in "Joann Smith", nor "Jack Smith" in "Jack Smithson" or "Blackjack Smith"."""
        key = name_key(name)
        at = self.joined.find(key) if key else -1
        while at >= 0:
            if at in self.starts and at + len(key) in self.ends:
                return True
            at = self.joined.find(key, at + 1)
        return False


def _letter_as_read(letter: str) -> str:
    if letter.isascii():
        return re.escape(letter.casefold()) if letter.isalnum() else ""
    folded = name_key(letter)
    return f"(?:{re.escape(folded)}|.{{1,2}})?" if folded else ""


@lru_cache(maxsize=8192)
def _as_read(written: str) -> re.Pattern[str]:
    """One word of a record's name as English OCR may read it: each letter outside ASCII stands
    for its ASCII spelling, any one or two letters (ü is read "ii", ñ "fi"), or none.

    The English model reads letters it was not trained on as their nearest shapes, or as a sign
    `name_key` drops (a tester's "Søren Ødegård" came back "Seren Sdegard", "Þóra Þórsdóttir"
    "Péra Pérsdéttir"; ours "Sgren @degard", "Agir belo" for "Ægir Æbelø", "Oztiirk" for
    "Öztürk"), so a cover typed with the record's exact letters was held as naming someone
    else. Every ASCII letter must still match."""
    return re.compile("".join(_letter_as_read(ch) for ch in unicodedata.normalize("NFC", written)))


@lru_cache(maxsize=4096)
def _writtenwords_of(record_name: str) -> tuple[tuple[str, ...], bool]:
    """The record's name as words, as written; and whether OCR's reading of its letters outside
    ASCII is allowed for (not when most of its letters are: too little would be left to match)."""
    words = tuple(w for w in unicodedata.normalize("NFC", record_name).replace("-", " ").split() if name_key(w))
    letters = [ch for ch in "".join(words) if ch.isalpha()]
    outside = sum(not ch.isascii() for ch in letters)
    return words, 0 < 2 * outside <= len(letters)


def _reads_as(read: str, written: str, leeway: bool) -> bool:
    return read == name_key(written) or (leeway and _as_read(written).fullmatch(read) is not None)


# Letters English OCR takes for one another in print, and pairs it reads as one letter: a word
# read with them is the written word, any other difference another word. Fresh testers' twins not
# in the template ("Mollie" under Millie's code, "Jason" under Mason's, "Hayley" under Harley's)
# were linked while one letter off counted as a misreading.
_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_OCR_LETTERS = str.maketrans("i1|!0euyhf5q", "llllocvvbtsg")


def _as_ocr_sees(key: str) -> str:
    for pair, letter in _OCR_PAIRS:
        key = key.replace(pair, letter)
    return key.translate(_OCR_LETTERS)


def may_read_as(read: str, written: str) -> bool:
    """Whether a word as read (a `name_key`) may be the written word of a record's name: the
    same but for letters OCR takes for one another ("Tyier", "Tvler" for "Tyler") or, for
    letters outside ASCII, as `_as_read` allows ("Seren" for "Søren")."""
    return _as_ocr_sees(read) == _as_ocr_sees(name_key(written)) or _as_read(written).fullmatch(read) is not None


def _middle_names_aside(cover_name: str, record_name: str) -> bool:
    """Whether one name is the other with middle names left out, forename or surname first,
    each word as OCR may read it (`_as_read`): the same first and last word, and every word of
    the shorter in the longer in order ("Jade Turner" in "Jade Marie Turner", "TURNER, Jade
    Marie")."""
    read = words_of(cover_name)
    written, leeway = _writtenwords_of(record_name)
    if min(len(read), len(written)) < 2:
        return False

    def same(read_word: str, written_word: str) -> bool:
        return _reads_as(read_word, written_word, leeway)

    surname_first = (written[-1], *written[:-1])
    for printed, order in ((read, written), ([*read[1:], read[0]], written), (read, surname_first)):
        if len(printed) <= len(order):
            spelt = _within(printed, order, same)
        else:
            spelt = _within(order, printed, lambda written_word, read_word: same(read_word, written_word))
        if spelt:
            return True
    return False


def _within(short: Sequence[str], long: Sequence[str], same: Callable[[str, str], bool]) -> bool:
    """Whether `short` is `long` with words left out of its middle: the same first and last
    word, and every word of it in `long`, in order."""
    if not (same(short[0], long[0]) and same(short[-1], long[-1])):
        return False
    remaining = iter(long)
    return all(any(same(word, other) for other in remaining) for word in short)


def one_of_its_words(cover_name: str, record_name: str) -> bool:
    """Whether the cover's name is a single word of the record's name: the forename alone, read
    where a form prints "Surname: … Forename: …" on one line and only one value reads. Part of a
    name says nothing against the person (a tester's such covers, their date of birth matching,
    were held as naming someone else)."""
    read = words_of(cover_name)
    written, leeway = _writtenwords_of(record_name)
    return len(read) == 1 and any(_reads_as(read[0], word, leeway) for word in written)


def name_similarity(cover_name: str | None, record_name: str | None) -> float:
    """0-100: the better of whole-name and any-word-order similarity, spaces and accents ignored;
    100 when one is the other with middle names left out (a front sheet prints a middle name the
    template leaves out, or the other way round), each word as English OCR reads the record's
    (`_as_read`)."""
    if not cover_name or not record_name:
        return 0.0
    if _middle_names_aside(cover_name, record_name):
        return 100.0
    whole = fuzz.ratio(name_key(cover_name), name_key(record_name))
    ordered = fuzz.ratio(name_tokens(cover_name), name_tokens(record_name))
    return max(whole, ordered)
