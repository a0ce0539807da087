"""Conventions the printed sheets, the scanner and the template share: UK dates, file names, the words printed on sheets."""
