"""The migration template: its spreadsheet read into `TemplateRecord`s, with the problems found."""
