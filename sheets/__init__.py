"""Printed sheets: cover sheets with a case reference barcode, and the location sheet for closed files."""
