"""Conventions the printed sheets, the scanner and the template share: UK dates, file names, and the
words printed on sheets."""
