"""Time limits for work that a hostile input can make endless: laying out a page, parsing a
PDF, reading a font. The alarm (SIGALRM) interrupts pure-Python and C loops alike."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from fsdocs.errors import FsdocsError, RenderError


class _Expired(BaseException):
    """Raised by the alarm: not an Exception, so that no ``except Exception`` of a library
    on the way swallows it."""


@contextmanager
def deadline(seconds: float, error: Callable[[float], FsdocsError]) -> Iterator[None]:
    """Stop what runs inside after ``seconds`` with ``error(seconds)`` (in the main thread,
    where fsdocs and its workers work; elsewhere, no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        # Raised inside a garbage-collector callback, the exception would be lost: ring again
        # soon, until it lands in the layout itself.
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        raise _Expired

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise error(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def time_limit(seconds: float, what: str) -> AbstractContextManager[None]:
    """Stop a layout after ``seconds`` with a RenderError."""
    return deadline(
        seconds,
        lambda s: RenderError(
            f"mise en page de « {what} » arrêtée après {s:.0f} s : un modèle ou une "
            "donnée produit sans doute un document démesuré"
        ),
    )
