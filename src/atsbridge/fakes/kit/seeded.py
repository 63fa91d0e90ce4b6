"""The tail most vendor states share: a seeded generator, the fixed rate-limit window, an id counter and a
strictly increasing wall clock. A vendor ``FakeState`` subclasses :class:`Seeded` (a dataclass) and states
only what differs: its auth, its first id (``seq``), its clock step (``TICK``) and how it writes a time."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

from atsbridge.fakes.kit.auth import Auth
from atsbridge.fakes.kit.ratelimit import fixed_window
from atsbridge.fakes.kit.state import FakeBase


@dataclass
class Seeded(FakeBase):
    """A vendor redeclares ``rate`` (its default limit) and ``seq`` (the id before its first one) where they
    differ; ``__post_init__`` calls :meth:`serve` with the vendor's auth."""

    rng: random.Random = field(default_factory=random.Random)
    #: ``(requests, seconds)`` of the vendor's fixed window; None serves without a limit.
    rate: tuple[int, float] | None = (10, 1.0)
    #: The last id :meth:`serial` handed out.
    seq: int = 0
    _clock: float = 0.0
    #: Seconds the clock moves on at the least between two readings (two changes never share a time).
    TICK: ClassVar[float] = 0.001
    #: Whole seconds of the wall clock (a vendor whose times have no fraction).
    WHOLE: ClassVar[bool] = False

    def serve(self, auth: Auth | None, *, announce: bool = False, prefix: str = "X-RateLimit-") -> None:
        """The engine's set-up (:class:`FakeBase`) with this state's fixed window."""
        FakeBase.__init__(self, auth, fixed_window(self.rate, announce=announce, prefix=prefix))

    def serial(self) -> int:
        """The next id of the counter (ids are never reused, deleted rows included)."""
        self.seq += 1
        return self.seq

    def new_id(self) -> str:
        """The next id as the string most vendors send."""
        return str(self.serial())

    def advance(self) -> float:
        """The wall clock in seconds, at least ``TICK`` after the last reading: a delta filter comparing times
        sees every change once."""
        wall = time.time()
        self._clock = max(float(int(wall)) if self.WHOLE else wall, self._clock + self.TICK)
        return self._clock

    def tick(self) -> datetime:
        """:meth:`advance` as a UTC time."""
        return datetime.fromtimestamp(self.advance(), UTC)
