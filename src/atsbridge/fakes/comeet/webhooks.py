"""The webhooks the fake Comeet pushes: position updates, configured by hand (on Comeet, by its support team:
``POST /__fake/webhooks`` here; Comeet documents no registration API).

Each position change ``/__fake/simulate`` makes is sent with the HTTP method that is Comeet's event [doc,
"Position updates"]: ``POST`` created, ``PUT`` updated, ``DELETE`` deleted, the body the complete position model
as the Careers API serves it with ``details=true`` (for a deletion, the position as it was). Signed
``Signature: sha256 <hex HMAC-SHA256(secret, raw body)>``, the Hires API's documented scheme (the
position-updates page documents none [unverified]), written independently of the connector's verifier. No
delivery id header (Comeet documents none). The fake holds no candidates, so it pushes no hire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change

METHODS = {"created": "POST", "updated": "PUT", "deleted": "DELETE"}


@dataclass(frozen=True)
class PositionChange(Change):
    """A position change with the position as it was right after it (what Comeet sends)."""

    position: dict[str, Any] = field(default_factory=dict, compare=False)


def body(change: Change) -> dict[str, Any] | None:
    if not isinstance(change, PositionChange) or not change.position:
        return None
    return dict(change.position)


WEBHOOKS = WebhookStyle(body, hmac_body("Signature", "sha256 "), method=lambda change: METHODS[change.kind])
