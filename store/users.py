"""SQL for review accounts, their sessions, login throttling and the review page's secret key.

The account lockout and the per-address failures live in the database, not in memory, so
restarting the review page does not hand an attacker a fresh set of guesses. A session is valid
only while it carries its account's current session generation: raising the generation (sign-out,
disabling, a new password) ends every session of that account at once, on every server.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from config.errors import UsageError
from store.database import Database, Row, utc_now

ROLES = ("lead", "admin")
SECRET_KEY_NAME = "review_secret_key"
AUTOMATIC_ACTOR = "casescan"  # who the service's own links are recorded under: never a person


def is_reserved(name: str) -> bool:
    """The automatic linker's name, in any case or spacing: a person recorded as it would pass as the service."""
    return name.strip().casefold() == AUTOMATIC_ACTOR


class UserError(UsageError):
    """An account cannot be added or changed as asked."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: str | None
    created_at: str
    session_generation: int

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _to_user(row: Row) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        password_hash=row["password_hash"],
        disabled=bool(row["disabled"]),
        failed_logins=row["failed_logins"],
        locked_until=row["locked_until"],
        created_at=row["created_at"],
        session_generation=row["session_generation"],
    )


def add_user(db: Database, name: str, role: str, password_hash: str) -> User:
    if role not in ROLES:
        raise UserError(f"role '{role}' is not one of: {', '.join(ROLES)}.")
    if not name.strip() or name != name.strip():
        raise UserError("a user name must not be empty nor start or end with a space.")
    if is_reserved(name):
        raise UserError(f"'{name}' is the name the service records its automatic links under; choose another name.")
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise UserError(f"user '{name}' already exists; choose another name or disable the old account.")
        (added,) = conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *",
            (name, role, password_hash, utc_now()),
        ).fetchall()
    return _to_user(added)


def user_by_name(db: Database, name: str) -> User | None:
    rows = db.query("SELECT * FROM users WHERE name = ?", (name,))
    return _to_user(rows[0]) if rows else None


def user_by_id(db: Database, user_id: int) -> User | None:
    rows = db.query("SELECT * FROM users WHERE id = ?", (user_id,))
    return _to_user(rows[0]) if rows else None


def list_users(db: Database) -> list[User]:
    return [_to_user(row) for row in db.query("SELECT * FROM users ORDER BY name")]


def _change(db: Database, name: str, assignments: str, params: tuple[object, ...] = ()) -> User:
    """Change an account and end its sessions in the same transaction."""
    with db.transaction() as conn:
        changed = conn.execute(
            f"UPDATE users SET {assignments}, session_generation = session_generation + 1 WHERE name = ? RETURNING *",
            (*params, name),
        ).fetchall()
    if not changed:
        raise UserError(f"no user named '{name}'; 'casescan users list' shows the accounts.")
    return _to_user(changed[0])


def disable_user(db: Database, name: str) -> User:
    """Stop an account signing in; its open sessions end at once."""
    return _change(db, name, "disabled = 1")


def set_password(db: Database, name: str, password_hash: str) -> User:
    """A new password (which also lifts a lockout); every session of the account ends."""
    return _change(db, name, "password_hash = ?, failed_logins = 0, locked_until = NULL", (password_hash,))


def end_sessions(db: Database, user_id: int) -> None:
    """Sign an account out everywhere: every cookie issued before now stops working."""
    with db.transaction() as conn:
        conn.execute("UPDATE users SET session_generation = session_generation + 1 WHERE id = ?", (user_id,))


def record_address_failure(db: Database, address: str, now: float, window_seconds: float) -> int:
    """Count a failed sign-in from `address`; returns its failures within the window (older ones are dropped)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM login_failures WHERE at <= ?", (now - window_seconds,))
        conn.execute("INSERT INTO login_failures (address, at) VALUES (?, ?)", (address, now))
        row = conn.execute("SELECT COUNT(*) FROM login_failures WHERE address = ?", (address,)).fetchone()
    return int(row[0])


def record_login_failure(db: Database, user_id: int, max_failures: int, locked_until: str) -> None:
    """Count a failed password; at `max_failures` lock the account until `locked_until` and start again."""
    with db.transaction() as conn:
        conn.execute(
            """
            UPDATE users SET
                locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END
            WHERE id = ?
            """,
            (max_failures, locked_until, max_failures, user_id),
        )


def record_login_success(db: Database, user_id: int, password_hash: str | None = None) -> None:
    """Forget past failures; store a re-hashed password when the hashing parameters were raised."""
    with db.transaction() as conn:
        conn.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", (user_id,))
        if password_hash is not None:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def secret_key(db: Database) -> str:
    """This workspace's session-signing key, made on first use: there is never a default key."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (SECRET_KEY_NAME, secrets.token_hex(32)),
        )
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (SECRET_KEY_NAME,)).fetchone()
    return str(row[0])
