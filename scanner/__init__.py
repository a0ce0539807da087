"""Images in, case references out: find every case file in a scan and read its cover sheet.

Imports only `config`. Everything it returns is a plain dataclass from `scanner.model`.
"""

from scanner.errors import EncryptedPdf, ImageTooLarge, ScanError, TruncatedScan, UnreadableScan, UnsupportedFormat
from scanner.identify import ScanOptions, identify_file, identify_files, scan_options
from scanner.model import CaseFile, CoverFields, CoverSheet, ReferenceCandidate, ScanResult
from scanner.pages import Page, iter_pages, render_page
from scanner.references import canonical_reference

__all__ = [
    "CaseFile",
    "CoverFields",
    "CoverSheet",
    "EncryptedPdf",
    "ImageTooLarge",
    "Page",
    "ReferenceCandidate",
    "ScanError",
    "ScanOptions",
    "ScanResult",
    "TruncatedScan",
    "UnreadableScan",
    "UnsupportedFormat",
    "canonical_reference",
    "identify_file",
    "identify_files",
    "iter_pages",
    "render_page",
    "scan_options",
]
