"""Date-window listings: report-style endpoints that answer only "records changed between ``from`` and ``to``"
(both required), with no open end (JobDiva's BI ``NewUpdated...Records?fromDate=&toDate=``).

A :class:`DateWindow` is the listing's ``params``: a mapping evaluated when the request is made, so a full
listing asks for everything from ``floor`` to now (plus ``ahead``), and a delta run's :class:`Since` on the
same ``from`` parameter narrows it (``Listed(path, params=WINDOW, since=Since(WINDOW.start, fmt))``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from atsbridge.connectors.kit.since import TimeFormat


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DateWindow(Mapping[str, object]):
    """``{start: format(floor), end: format(now + ahead)}``, computed at each read."""

    start: str
    end: str
    format: TimeFormat
    floor: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    ahead: timedelta = timedelta(days=1)
    clock: Callable[[], datetime] = field(default=_now, compare=False)

    def _values(self) -> dict[str, object]:
        return {self.start: self.format(self.floor), self.end: self.format(self.clock() + self.ahead)}

    def __getitem__(self, key: str) -> object:
        return self._values()[key]

    def __iter__(self) -> Iterator[str]:
        return iter((self.start, self.end))

    def __len__(self) -> int:
        return 2
