"""What every fake's state carries besides its records: the lock, the fault box, the request log, the
counters, and the per-instance auth scheme and rate-limit policy. A vendor's ``FakeState`` subclasses
:class:`FakeBase`."""

from __future__ import annotations

import threading
from collections import Counter

from atsbridge.fakes.kit.auth import Auth
from atsbridge.fakes.kit.emit import Emitter
from atsbridge.fakes.kit.faults import FaultBox
from atsbridge.fakes.kit.log import RequestLog
from atsbridge.fakes.kit.ratelimit import RateLimit


class FakeBase:
    """Shared by the server thread and the test thread: vendor data is read and written under :attr:`lock`."""

    def __init__(self, auth: Auth | None = None, rate_limit: RateLimit | None = None, *, latency: float = 0.0,
                 page_cap: int | None = None) -> None:  # fmt: skip
        self.lock = threading.RLock()
        self.auth = auth
        self.rate_limit = rate_limit
        #: Seconds every request waits before it is served (a far-away vendor).
        self.latency = latency
        #: Serve at most this many records per page whatever the request asks (forces paging on small data).
        self.page_cap = page_cap
        self.faults = FaultBox()
        #: Receivers of the vendor's webhooks (registered through ``/__fake/webhooks``).
        self.webhooks = Emitter()
        self.log = RequestLog()
        #: ``requests`` (authorised API requests), ``tokens`` (issued), and one count per refusal status.
        self.counters: Counter[str] = Counter()
