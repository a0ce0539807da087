"""The only place that speaks SQL. Everything else calls the named functions of these modules,
so the storage could move to PostgreSQL without touching callers."""

from store.database import Database, open_database

__all__ = ["Database", "open_database"]
