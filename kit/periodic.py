"""A periodic job of a service process: a daemon thread calling one function every interval
(the deadline sweepers of the registry, governance and billing), started and stopped with the
app's lifespan. The job runs outside any request; its errors are logged, the thread lives on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger("mutualis.periodic")


class PeriodicJob:
    """``job()`` at start, then every ``seconds`` until ``stop()``."""

    def __init__(self, name: str, seconds: float, job: Callable[[], object]) -> None:
        self.name = name
        self.seconds = seconds
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.job()
            except SQLAlchemyError as exc:  # not migrated yet, database away: next time
                logger.warning("%s: %s", self.name, type(exc).__name__)
            except Exception:  # an upstream away, a bug: logged, tried again next time
                logger.exception("%s stopped on an error", self.name)
            self._stop.wait(self.seconds)
