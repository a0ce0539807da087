"""The migration package: records, attachments, manifest, closed-paper catalogue, exceptions, reconciliation."""

from export.package import ExportResult, export_package

__all__ = ["ExportResult", "export_package"]
