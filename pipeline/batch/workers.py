"""Worker processes of the batch: each prepares the templates once and keeps them for its cases,
dies with the batch (never a stale lock), and a pool that ends cleanly on a stop.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from ..bundle import pdf
from ..results import CaseResult
from .options import Options

if TYPE_CHECKING:
    from ..checks.medical import MedicalTerms
    from ..documents import render


Item = TypeVar("Item")


Result = TypeVar("Result")


class _Tally:
    """The cases made so far, counted as they finish, in whatever order (a worker writes its
    case's folder itself, so a case is done before the batch process gets to its result): what
    a stopped batch had done. Counts only, so a batch of thousands of cases keeps no results."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # counted from the pool's own thread as well
        self.made = 0
        self.written = 0

    def add(self, result: object) -> None:
        if isinstance(result, CaseResult):
            with self._lock:
                self.made += 1
                self.written += result.written


class _Worker:
    """What this process keeps for the cases it makes: the batch's options and templates, and
    what is prepared from them on the first case that needs it. Set when the batch starts, and
    again in each pool worker (`_start_pool_worker`), which prepares its own."""

    current: ClassVar[_Worker | None] = None

    def __init__(self, options: Options, templates: dict[str, str]) -> None:
        self.options = options
        self.templates = templates  # template name -> SHA-256
        self.prepared: Prepared | None = None

    @classmethod
    def here(cls) -> _Worker:
        if cls.current is None:
            raise RuntimeError("no batch has started in this process")
        return cls.current


def _start_worker(options: Options, templates: dict[str, str]) -> None:
    _Worker.current = _Worker(options, templates)


def _prepared() -> Prepared:
    """This process's templates and term list, prepared on the first case that needs them (a rerun
    that reuses every case never loads the renderer)."""
    worker = _Worker.here()
    if worker.prepared is None:
        from ..checks.medical import load_terms
        from ..documents import render

        folder = worker.options.templates_dir
        worker.prepared = Prepared(worker.templates, load_terms(folder), render.Renderer(folder))
    return worker.prepared


def _in_worker(task: tuple[Callable[[Item, Options], Result], Item]) -> Result:
    function, item = task
    return function(item, _Worker.here().options)


def _start_method() -> str:
    """fork where there is one (Linux, macOS): a worker starts in milliseconds with everything
    loaded; spawn elsewhere (Windows), where each worker starts a fresh Python."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


class _Workers:
    """run(function, items, crashed) -> function(item, options) for each item, yielded in item
    order: in this process, or in a pool of processes. The pool's results, report and exit code
    are the same as with one worker: each case is independent, and the results are put back in
    name order. A worker process that dies (out of memory, a crash in a library) costs only the
    item it was working on: `crashed(item)` stands in for that item's result, and a new pool
    takes the rest. Workers die with the batch process (`_die_with`); when the batch is stopped
    (Ctrl-C, SIGTERM, an error), they are stopped at once, without finishing their case
    (`_terminate`)."""

    def __init__(self, options: Options, templates: dict[str, str], tally: _Tally | None = None) -> None:
        self.options, self.templates = options, templates
        self.pool: ProcessPoolExecutor | None = None
        self.crashed = False  # a worker died: the output folder may hold a swap to undo
        self.tally = tally or _Tally()  # every result counted as soon as it is there

    def __enter__(self) -> _Workers:
        _start_worker(self.options, self.templates)
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self._close()
        else:
            self._terminate()

    def run(self, function: Callable[[Item, Options], Result], items: list[Item],
            crashed: Callable[[Item], Result]) -> Iterator[Result]:
        if self.options.workers <= 1:
            return self._here(function, items)
        return self._pooled(function, list(items), crashed)

    def _here(self, function: Callable[[Item, Options], Result], items: list[Item]) -> Iterator[Result]:
        for item in items:
            result = _in_worker((function, item))
            self.tally.add(result)
            yield result

    def _done(self, future: Future[Result]) -> None:
        if not future.cancelled() and future.exception() is None:
            self.tally.add(future.result())

    def _pooled(self, function: Callable[[Item, Options], Result], items: list[Item],
                crashed: Callable[[Item], Result]) -> Iterator[Result]:
        while items:
            if self.pool is None:
                self.pool = self._new_pool(self.options.workers)
            futures = [self.pool.submit(_in_worker, (function, item)) for item in items]
            for future in futures:
                future.add_done_callback(self._done)
            for index, future in enumerate(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # Every unfinished item failed with the pool; the first may not be the one
                    # that killed it, so it is tried alone before it is given up.
                    self.crashed = True
                    self._close()
                    yield self._alone(function, items[index], crashed)
                    items = items[index + 1:]
                    break
                yield result
            else:
                return

    def _alone(self, function: Callable[[Item, Options], Result], item: Item,
               crashed: Callable[[Item], Result]) -> Result:
        single = self._new_pool(1)
        try:
            return single.submit(_in_worker, (function, item)).result()
        except BrokenProcessPool:
            return crashed(item)
        except BaseException:
            _end_pool(single)
            raise
        finally:
            single.shutdown(wait=True)

    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(_start_method())
        return ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_start_pool_worker,
                                   initargs=(self.options, self.templates, os.getpid()))

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _terminate(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            _end_pool(pool)


def _end_pool(pool: ProcessPoolExecutor, seconds: float = 10) -> None:
    """Stop a pool's workers now, without waiting for their cases: each gets SIGTERM, on which it
    stops its LibreOffice and exits (`_end_worker`); one that has not ended after `seconds` is
    killed. ProcessPoolExecutor has no public way to do this before Python 3.14
    (terminate_workers), so its `_processes` and `_executor_manager_thread` are read here, and
    only here."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + seconds
    for process in processes:
        try:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
    # The pool's own thread ends once it sees its workers gone; waited for here, so that Python's
    # exit does not wait for it (nor wake it when it is closing).
    if manager is not None:
        manager.join(seconds)


def _start_pool_worker(options: Options, templates: dict[str, str], parent: int) -> None:
    # Ctrl-C in a terminal reaches every process of the batch: the batch process decides what
    # happens (it ends the workers), so a worker ignores it instead of dying mid-write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _end_worker)
    _die_with(parent)
    _start_worker(options, templates)


def _end_worker(signal_number: int, frame: object) -> None:
    """SIGTERM from the batch process: stop this worker's LibreOffice, then end at once. A case
    folder it was swapping is put back by the batch process (`output.repair`)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the pool may ask again: the first stop is finished first
    pdf.stop()
    os._exit(128 + signal_number)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Make this worker end when the batch process `parent` ends, however it ends (kill -9, out of
    memory), so no worker lives on with nothing to do. Linux sends the worker SIGKILL when its
    parent dies (prctl PR_SET_PDEATHSIG; the pool is started from the batch's own thread, whose
    end is the parent's end); elsewhere a thread of the worker watches the parent."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), name="batch-bewaker", daemon=True).start()


def _watch_parent(parent: int) -> None:
    origin = multiprocessing.parent_process()
    if os.name == "nt" and origin is not None:
        origin.join()  # waits on the parent's process handle
    else:
        while os.getppid() == parent:  # an orphan is handed to another parent
            time.sleep(1)
    os._exit(1)


@dataclass(frozen=True)
class Prepared:
    """What every case of a batch shares, read once per process."""

    templates: dict[str, str]  # template name -> SHA-256, for the manifests
    medical_terms: MedicalTerms | None
    renderer: render.Renderer  # each template prepared once, on first use
