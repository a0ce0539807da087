"""Errors for scans that cannot be read; each message says what a person can do about it."""

from __future__ import annotations

from config.errors import CasescanError


class ScanError(CasescanError):
    """A scan that cannot be identified. `kind` is the short word used in quarantine reasons."""

    kind = "unreadable"


class UnreadableScan(ScanError):
    kind = "unreadable"


class EncryptedPdf(ScanError):
    kind = "encrypted"


class UnsupportedFormat(ScanError):
    kind = "unsupported"


class ImageTooLarge(ScanError):
    kind = "too-large"


class TruncatedScan(ScanError):
    kind = "truncated"


class OcrTimeout(ScanError):
    """Tesseract ran out of time on part of a page: the page would be read only in part."""

    kind = "ocr-timeout"
