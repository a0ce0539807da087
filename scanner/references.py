"""Case references: the canonical form, and reading one out of noisy text.

A reference is written many ways ("SGD-2024-0412", "sgd / 2024 0412", "SGD 2024/0412"). Its
canonical form is the pattern's named groups, upper-cased and joined by '-', so the template, a
barcode and an OCR reading of the same reference compare equal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

SEPARATORS = r"[\s\-/_.\u2010-\u2015\\]+"
_SEPARATOR_RUN = re.compile(SEPARATORS)
_JOINERS = ("-", " ", "/", "")


@lru_cache(maxsize=64)
def compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Compiled once per process; patterns come from settings and never change while scanning."""
    return tuple(re.compile(p) for p in patterns)


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
