"""The stability tracker, driven by a fake clock, fake stat and fake structure check."""

from __future__ import annotations

from pathlib import Path

from watch.arrival import Arrival, Verdict
from watch.stability import Arrived, FileStabilityTracker, Outcome, Signature

SCAN = Path("/inbox/scan.pdf")


class FakeDisk:
    def __init__(self) -> None:
        self.now = 100.0
        self.files: dict[Path, Signature] = {}
        self.verdicts: dict[Path, Verdict] = {}

    def clock(self) -> float:
        return self.now

    def stat(self, path: Path) -> Signature | None:
        return self.files.get(path)

    def judge(self, path: Path) -> Verdict:
        return self.verdicts.get(path, Verdict(Arrival.COMPLETE))

    def write(self, path: Path, size: int) -> None:
        self.files[path] = Signature(size, int(self.now * 1e9))

    def tracker(self, settle: float = 5.0, grace: float = 60.0, retries: int = 2) -> FileStabilityTracker:
        return FileStabilityTracker(
            settle, grace, retries, clock=self.clock, wall_clock=lambda: 1.7e9, stat=self.stat, judge=self.judge
        )


def test_a_file_is_taken_only_after_the_settle_time() -> None:
    disk = FakeDisk()
    tracker = disk.tracker()
    disk.write(SCAN, 10)
    tracker.track(SCAN)
    disk.now += 4.9
    assert tracker.due(10) == []
    disk.now += 0.2
    [arrived] = tracker.due(10)
    assert arrived.outcome is Outcome.READY and arrived.path == SCAN and SCAN not in tracker


def test_a_slow_copy_keeps_resetting_the_clock_even_without_events() -> None:
    disk = FakeDisk()
    tracker = disk.tracker(settle=5.0)
    disk.write(SCAN, 10)
    tracker.track(SCAN)
    for second in range(1, 41):  # a chunk every 4 s and no events (a network share); the loop looks every second
        disk.now += 1.0
        if second % 4 == 0:
            disk.write(SCAN, second)
        assert tracker.due(10) == []
    last_write = disk.now
    taken: list[Arrived] = []
    while not taken:
        disk.now += 1.0
        taken = tracker.due(10)
    assert taken[0].outcome is Outcome.READY and 5.0 <= disk.now - last_write <= 6.0


def test_events_restart_the_settle_time() -> None:
    disk = FakeDisk()
    tracker = disk.tracker()
    disk.write(SCAN, 10)
    tracker.track(SCAN)
    disk.now += 4.0
    tracker.track(SCAN, activity=True)
    disk.now += 4.0
    assert tracker.due(10) == []


def test_an_old_file_found_by_a_sweep_needs_no_wait() -> None:
    disk = FakeDisk()
    tracker = disk.tracker()
    disk.write(SCAN, 10)
    tracker.track(SCAN, activity=False, age=3600)
    assert [a.outcome for a in tracker.due(10)] == [Outcome.READY]


def _half_written(grace: float) -> tuple[FakeDisk, FileStabilityTracker]:
    disk = FakeDisk()
    tracker = disk.tracker(grace=grace)
    disk.write(SCAN, 10)
    disk.verdicts[SCAN] = Verdict(Arrival.INCOMPLETE, "no trailer")
    tracker.track(SCAN)
    return disk, tracker


def test_an_incomplete_file_waits_for_its_pages_then_is_taken() -> None:
    disk, tracker = _half_written(grace=60)
    disk.now += 30  # a scanner pausing far longer than the settle time
    assert tracker.due(10) == []
    disk.write(SCAN, 20)
    del disk.verdicts[SCAN]
    disk.now += 5
    assert tracker.due(10) == []
    disk.now += 5
    assert [a.outcome for a in tracker.due(10)] == [Outcome.READY]


def test_an_incomplete_file_still_for_the_grace_time_is_truncated() -> None:
    disk, tracker = _half_written(grace=60)
    for _ in range(11):
        disk.now += 5
        assert tracker.due(10) == []
    disk.now += 5
    [arrived] = tracker.due(10)
    assert arrived.outcome is Outcome.TRUNCATED and arrived.reason == "no trailer"


def test_an_unopenable_file_is_retried_then_reported() -> None:
    disk = FakeDisk()
    tracker = disk.tracker(retries=2)
    disk.write(SCAN, 10)
    disk.verdicts[SCAN] = Verdict(Arrival.UNREADABLE, "permission denied")
    tracker.track(SCAN)
    outcomes = []
    for _ in range(4):
        disk.now += 5
        outcomes.append([a.outcome for a in tracker.due(10)])
    assert outcomes == [[], [], [Outcome.UNREADABLE], []]


def test_a_vanished_file_is_dropped() -> None:
    disk = FakeDisk()
    tracker = disk.tracker()
    disk.write(SCAN, 10)
    tracker.track(SCAN)
    del disk.files[SCAN]
    disk.now += 6
    assert tracker.due(10) == [] and len(tracker) == 0


def test_due_hands_out_no_more_than_asked() -> None:
    disk = FakeDisk()
    tracker = disk.tracker()
    for n in range(10):
        disk.write(Path(f"/inbox/{n}.pdf"), 1)
        tracker.track(Path(f"/inbox/{n}.pdf"), activity=False, age=60)
    assert len(tracker.due(3)) == 3 and len(tracker) == 7
    assert tracker.seconds_to_next_check() == 0.0
