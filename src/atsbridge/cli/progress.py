"""Sync progress on stderr: one line per stream, rewritten in place on a terminal, plain lines otherwise.

A stream's total is shown (with a percentage and an ETA) when one is known: given by the caller (a vendor
count) or estimated from what the previous sync stored (the stream's first model's live records), marked
``~`` then. Without a total only the count and the rate are shown; an ETA is never invented.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Terminal: redraw at most this often. Not a terminal (CI logs, pipes): one line this often per stream.
TTY_EVERY = 0.1
PLAIN_EVERY = 5.0
CLEAR_LINE = "\r\x1b[K"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """The ``progress(stream, count[, total])`` callback of a sync, drawing on ``stream`` (stderr)."""

    def __init__(
        self,
        estimates: dict[str, int] | None = None,
        *,
        out: TextIO | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out = out if out is not None else sys.stderr
        self.tty = tty if tty is not None else self.out.isatty()
        self.clock = clock
        self.started = clock()
        self.estimates = dict(estimates or {})
        self.totals: dict[str, int] = {}
        self.stream = ""
        self.stream_started = self.started
        self.count = 0
        self.records = 0
        #: When the last page arrived: the next stream's listing started then.
        self.last_event = self.started
        self.last_draw = float("-inf")
        self.drawn = False

    def __call__(self, stream: str, count: int, total: int | None = None) -> None:
        now = self.clock()
        if stream != self.stream:
            if self.stream:
                self._draw(self.last_event, final=True)
            self.stream, self.stream_started, self.count = stream, self.last_event, 0
            # A terminal shows the new stream at once; a log gets a line per interval and one at its end.
            self.last_draw = float("-inf") if self.tty else now
        self.last_event = now
        if total is not None and total >= 0:
            self.totals[stream] = total
        self.count += count
        self.records += count
        if now - self.last_draw >= (TTY_EVERY if self.tty else PLAIN_EVERY):
            self._draw(now)

    def line(self, now: float, *, final: bool = False) -> str:
        """The current stream's status: count, total and ETA (while running) when known, rate."""
        elapsed = max(now - self.stream_started, 1e-6)
        rate = self.count / elapsed
        exact = self.totals.get(self.stream)
        total = exact if exact is not None else self.estimates.get(self.stream)
        text = f"syncing {self.stream:<20} {self.count:>9,}"
        if total:
            total = max(total, self.count)  # the vendor gained records since it counted
            mark = "" if exact is not None else "~"
            text += f" / {mark}{total:,} ({100 * self.count / total:3.0f}%)"
            if rate > 0 and self.count < total and not final:
                text += f"  ETA {_duration((total - self.count) / rate)}"
        return text + f"  {rate:,.0f}/s"

    def _draw(self, now: float, *, final: bool = False) -> None:
        self.last_draw = now
        text = self.line(now, final=final)
        if self.tty:
            # Rewrite the same line; a finished stream keeps its line and the next one starts below.
            self.out.write(CLEAR_LINE + text + ("\n" if final else ""))
            self.drawn = not final
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def done(self) -> None:
        now = self.clock()
        if self.stream:
            self._draw(self.last_event, final=True)
        self.out.write(f"synced {self.records:,} vendor records in {_duration(now - self.started)}\n")
        self.out.flush()
