"""Eploy's REST API, declared once: OAuth2 client credentials on the customer's own host, every list a
``POST /{entity}/search`` with its paging and filters in the JSON body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

Raw = dict[str, Any]

#: The customer's Eploy host (``acme.eploy.net`` or a custom domain): the API is ``https://{host}/api`` [doc].
HOST = FormField(
    "host", "Eploy host", target="config", placeholder="acme.eploy.net",
    help="The host of your Eploy system, as in https://<host>/api (e.g. acme.eploy.net or your custom domain).",
)  # fmt: skip

#: Records per search page. Eploy documents no maximum [gap]; 100 is what a customer's sync script asks [conn].
PAGE_SIZE = 100

API = kit.VendorApi(
    base_url="https://{host}/api",
    # ``POST /api/token`` with a JSON body {grant_type, client_id, client_secret} [doc]; no refresh token: a
    # new token when the old one (60 min from v47, 10 min before) expires, or once on a 401.
    auth=kit.OAuthClientCredentials(
        "/token",
        kit.Text(
            "client_id",
            "Client ID",
            help="Admin > Security Settings > API Keys > New > REST API: the key's "
            "client id. Its API user needs exactly one role and an allowed IP range.",
        ),
        kit.Secret("client_secret", "Client secret", help="The REST API key's client secret."),
        json_body=True,
    ),  # fmt: skip
    pager=kit.BodyPage(
        "Paging.RequestedPage", "Paging.RecordsPerPage", PAGE_SIZE, total_path="TotalPages", records_path="Records"
    ),  # fmt: skip
    records_path="Records",
    # no rate limit is documented [gap]: a modest pace; a 429 (Retry-After honoured) backs off
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="api",
)

#: application id -> {"candidate": candidate id}: what an action's mapper needs when the action names only the
#: application, and the stage names the applications use (Eploy lists no workflow stages we could verify).
STAGES: kit.Lookup[Raw] = kit.Lookup("stages")


def search(*blocks: str) -> Raw:
    """A search body asking for ``blocks`` (only the requested ``ResponseBlocks`` come back [conn])."""
    return {"Filters": [], "ResponseBlocks": list(blocks)}


def changed_since(entity: str) -> kit.BodySince:
    """``{"Route": "<Entity>.ModificationDate", "Operation": "GreaterThan", "Value": <ISO>}`` added to the
    search's ``Filters`` on a delta run [conn]."""

    def apply(body: Any, since: datetime) -> Raw:
        found = dict(body) if isinstance(body, dict) else {}
        rule = {"Route": f"{entity}.ModificationDate", "Operation": "GreaterThan", "Value": kit.iso(since)}
        return {**found, "Filters": [*(found.get("Filters") or []), rule]}

    return kit.BodySince(apply)


def equals(route: str, value: object) -> Raw:
    return {"Route": route, "Operation": "Equals", "Value": value}


def ref_id(value: Any) -> str | None:
    """The id of an Eploy reference block ``{"Id": 12, "Description": ...}`` (None when absent)."""
    found = value.get("Id") if isinstance(value, dict) else None
    return str(found) if found not in (None, "") else None
