"""When has a file arrived? A plain class, so it is tested with a fake clock and no filesystem.

A file is taken when nothing has happened to it for the settle time (no events, size and mtime
unchanged, still present) *and* it is whole by its own structure. A structurally incomplete file is
a scanner pausing between pages: it is waited for until it has been still for the grace time and
only then handed on as truncated; one already still for the grace time when a sweep first finds it
is decided at once. A file a program holds open for writing is never handed on while it is held
(except, in a one-off run, as `HELD` after the grace time, so the run can say so and end). A file
that cannot be opened is retried a few times, then handed
on as unreadable so it can be reported (never deleted). Times are monotonic: a wall-clock jump
(NTP, daylight saving) must not make a half-written file look old.
"""

from __future__ import annotations

import enum
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watch.arrival import Arrival, Verdict, check_arrival


@dataclass(frozen=True)
class Signature:
    size: int
    mtime_ns: int


def signature_of(path: Path) -> Signature | None:
    """None when the path is gone or is neither a regular file nor a symbolic link. The link
    itself is looked at, never what it points to, so a link is tracked (and then reported as
    unreadable by `check_arrival`) instead of being followed out of the inbox."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        return None
    return Signature(st.st_size, st.st_mtime_ns)


class Outcome(enum.Enum):
    READY = "ready"
    TRUNCATED = "truncated"
    UNREADABLE = "unreadable"
    HELD = "held"  # still open for writing after the grace time: left in the inbox


@dataclass(frozen=True)
class Arrived:
    path: Path
    outcome: Outcome
    reason: str
    seen_at: float  # wall-clock time the file was first noticed, for drop-to-decision timings


@dataclass
class _Tracked:
    signature: Signature
    changed_at: float
    next_check: float
    seen_at: float
    failed_reads: int = 0
    waiting_for: str = ""  # why it has not arrived yet, once a look found it incomplete or held
    held: bool = False


@dataclass(frozen=True)
class Waiting:
    """A file not yet arrived: why, and (wall clock) when it will be decided, None for "when closed"."""

    path: Path
    reason: str
    until: float | None


class FileStabilityTracker:
    def __init__(
        self,
        settle_seconds: float,
        grace_seconds: float,
        read_retries: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        stat: Callable[[Path], Signature | None] = signature_of,
        judge: Callable[[Path], Verdict] = check_arrival,
        give_up_held: bool = False,
    ) -> None:
        self.settle = settle_seconds
        self.grace = grace_seconds
        self.read_retries = read_retries
        self._clock = clock
        self._wall_clock = wall_clock
        self._stat = stat
        self._judge = judge
        self._give_up_held = give_up_held
        self._tracked: dict[Path, _Tracked] = {}

    def track(self, path: Path, *, activity: bool = True, age: float = 0.0) -> None:
        """Note a file. `activity` is a filesystem event (restarts the settle time); a sweep passes
        `activity=False` and the file's `age` (seconds since its mtime) so old files need no wait,
        and a file already still for the grace time is decided at its first look."""
        now = self._clock()
        signature = self._stat(path)
        tracked = self._tracked.get(path)
        if signature is None:
            self._tracked.pop(path, None)
            return
        if tracked is None:
            changed = now - min(max(age, 0.0), max(self.settle, self.grace))
            self._tracked[path] = _Tracked(signature, changed, changed + self.settle, self._wall_clock())
        elif activity or signature != tracked.signature:
            tracked.signature, tracked.changed_at, tracked.next_check = signature, now, now + self.settle

    def __contains__(self, path: object) -> bool:
        return path in self._tracked

    def __len__(self) -> int:
        return len(self._tracked)

    def seconds_to_next_check(self) -> float | None:
        if not self._tracked:
            return None
        return max(0.0, min(t.next_check for t in self._tracked.values()) - self._clock())

    def waiting(self) -> list[Waiting]:
        """Files looked at and found not yet arrived."""
        now, wall = self._clock(), self._wall_clock()
        found = []
        for path, tracked in self._tracked.items():
            if not tracked.waiting_for:
                continue
            forever = tracked.held and not self._give_up_held
            until = None if forever else wall + max(0.0, tracked.changed_at + self.grace - now)
            found.append(Waiting(path, tracked.waiting_for, until))
        return found

    def due(self, limit: int) -> list[Arrived]:
        """Up to `limit` files whose fate is decided; they stop being tracked."""
        now = self._clock()
        found: list[Arrived] = []
        for path, tracked in list(self._tracked.items()):
            if len(found) >= limit:
                break
            if now < tracked.next_check:
                continue
            arrived = self._examine(path, tracked, now)
            if arrived is not None:
                del self._tracked[path]
                found.append(arrived)
        return found

    def _examine(self, path: Path, tracked: _Tracked, now: float) -> Arrived | None:
        signature = self._stat(path)
        if signature is None:
            del self._tracked[path]
            return None
        if signature != tracked.signature:
            tracked.signature, tracked.changed_at, tracked.next_check = signature, now, now + self.settle
            return None
        verdict = self._judge(path)
        tracked.next_check = now + self.settle
        tracked.waiting_for, tracked.held = "", verdict.arrival is Arrival.HELD
        if verdict.arrival is Arrival.COMPLETE:
            return Arrived(path, Outcome.READY, "", tracked.seen_at)
        if verdict.arrival is Arrival.UNREADABLE:
            tracked.failed_reads += 1
            if tracked.failed_reads > self.read_retries:
                return Arrived(path, Outcome.UNREADABLE, verdict.reason, tracked.seen_at)
            return None
        if now - tracked.changed_at >= self.grace and (self._give_up_held or not tracked.held):
            outcome = Outcome.HELD if tracked.held else Outcome.TRUNCATED
            return Arrived(path, outcome, verdict.reason, tracked.seen_at)
        tracked.waiting_for = verdict.reason
        return None
