"""Noticing: watchdog's native observer or its polling one (network shares send no events).

watchdog calls every handler on one thread, so the handler does nothing but put a path on a queue;
deciding whether the file has arrived is the service loop's job. Opened/closed-without-writing
events are dropped on purpose: the service's own reads of a file would otherwise look like activity.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

_ACTIVITY = {"created", "modified", "moved", "closed", "attrib"}


@dataclass(frozen=True)
class Noticed:
    path: Path
    is_directory: bool


class EnqueueHandler(FileSystemEventHandler):
    def __init__(self, events: queue.SimpleQueue[Noticed]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _ACTIVITY:
            return
        where = event.dest_path if event.event_type == "moved" else event.src_path
        self.events.put(Noticed(Path(str(where)), event.is_directory))


def start_observer(
    inbox: Path, events: queue.SimpleQueue[Noticed], *, polling: bool, poll_seconds: float
) -> BaseObserver:
    observer: BaseObserver = PollingObserver(timeout=poll_seconds) if polling else Observer()
    observer.schedule(EnqueueHandler(events), str(inbox), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
