"""Waits that grow while something keeps failing, and start small again once it works."""

from __future__ import annotations

__all__ = ["Backoff"]


class Backoff:
    """`next()` gives `first`, then twice the last wait each time, up to `cap`; `reset()`
    after a success."""

    def __init__(self, first: float, cap: float) -> None:
        self._first = first
        self._cap = cap
        self._wait = first

    def next(self) -> float:
        wait = self._wait
        self._wait = min(wait * 2, self._cap)
        return wait

    def reset(self) -> None:
        self._wait = self._first
