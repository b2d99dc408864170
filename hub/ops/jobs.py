"""Background jobs (pack installs) in one worker thread, with progress others can poll.

Jobs run one at a time: installs compete for the disk and the one SQLite writer, and a
small device does better finishing one before starting the next. State lives in memory:
a restart forgets finished jobs, and the packs module cleans up any half-done install.
"""
from __future__ import annotations

import queue
import threading
import traceback
import uuid
from dataclasses import asdict, dataclass, field

from hub.core import clock

KEEP_FINISHED = 50


@dataclass
class Job:
    """One job's public state (what the progress page and the JSON endpoint show)."""

    id: str
    kind: str
    label: str                         # a key or plain text; views put it in words at display time
    details: dict = field(default_factory=dict)  # what the label's words need (names, counts)
    state: str = "queued"              # queued | running | done | failed
    fraction: float = 0.0
    message: str = ""
    problems: list[str] = field(default_factory=list)
    error: str = ""
    result: dict = field(default_factory=dict)
    created_at: str = ""
    finished_at: str = ""

    @property
    def finished(self) -> bool:
        """True once the job is done or failed."""
        return self.state in ("done", "failed")


class JobFailed(Exception):
    """Raised by a job function to fail with readable problems (one `where: why` each)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class JobRunner:
    """A queue of jobs served by one daemon thread, started on first use."""

    def __init__(self):
        self._jobs: dict[str, Job] = {}
        self._done_events: dict[str, threading.Event] = {}
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, kind: str, label: str, func, *args, details: dict | None = None, **kwargs) -> str:
        """Queue `func(progress, *args, **kwargs)`; return the job id at once.

        `label` and `details` say what the job is (kept untranslated: each reader sees it in their
        own language).
        `progress(fraction, message)` updates the job. What `func` returns (a dict) becomes the
        job's result; JobFailed fails it with its problems; any other exception fails it too.
        """
        job = Job(id=uuid.uuid4().hex, kind=kind, label=label, details=dict(details or {}),
                  created_at=clock.iso())
        with self._lock:
            self._jobs[job.id] = job
            self._done_events[job.id] = threading.Event()
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="hub-jobs", daemon=True)
                self._thread.start()
        self._queue.put((job.id, func, args, kwargs))
        return job.id

    def get(self, job_id: str) -> dict | None:
        """Return a copy of a job's state as a dict, or None when unknown."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else {**asdict(job), "finished": job.finished}

    def recent(self, kind: str | None = None) -> list[dict]:
        """Return the known jobs, newest first."""
        with self._lock:
            # Insertion order is submission order; newest first.
            jobs = [j for j in reversed(self._jobs.values()) if kind is None or j.kind == kind]
        return [self.get(j.id) for j in jobs]

    def wait(self, job_id: str, timeout: float | None = None) -> dict | None:
        """Block until the job finishes (or the timeout passes); return its state."""
        event = self._done_events.get(job_id)
        if event is not None:
            event.wait(timeout)
        return self.get(job_id)

    def _update(self, job_id: str, **changes) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                for key, value in changes.items():
                    setattr(job, key, value)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished]  # oldest first
        for job in finished[:max(0, len(finished) - KEEP_FINISHED)]:
            self._jobs.pop(job.id, None)
            self._done_events.pop(job.id, None)

    def _work(self) -> None:
        while True:
            job_id, func, args, kwargs = self._queue.get()
            self._update(job_id, state="running")

            def progress(fraction: float, message: str = "", _id=job_id) -> None:
                self._update(_id, fraction=max(0.0, min(1.0, float(fraction))), message=message)

            changes: dict = {}
            try:
                result = func(progress, *args, **kwargs)
                changes = {"state": "done", "fraction": 1.0, "result": dict(result or {})}
            except JobFailed as exc:
                changes = {"state": "failed", "error": str(exc), "problems": exc.problems}
            except Exception as exc:  # noqa: BLE001 - a job must never kill the worker
                traceback.print_exc()
                changes = {"state": "failed", "error": f"{type(exc).__name__}: {exc}"}
            changes["finished_at"] = clock.iso()
            self._update(job_id, **changes)
            event = self._done_events.get(job_id)
            if event is not None:
                event.set()
            self._queue.task_done()


RUNNER = JobRunner()
