"""The Frontend API v3, declared once, and the clients of the apply flow.

Reads go to the channel's jobs-list URL (``.../v3/frontend/jobslist/{channel_id}``); the apply calls live
under the REST root ``https://api.softgarden.io/api/rest`` (``/v3/frontend/...`` and ``/oauth/frontend/token``).
The root is derived from the integration's jobs-list URL by cutting it at ``/v3/frontend/``, so one
``config["base_url"]`` override (a proxy, the fake) moves reads and writes together.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import re

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient

API = kit.VendorApi(
    base_url="https://api.softgarden.io/api/rest/v3/frontend/jobslist/{channel_id}",
    auth=kit.Basic(kit.Secret("client_id", "Client ID", help="Issued by softgarden for your career website API.")),
    records_path="results",
    rate=kit.RatePolicy(2, 1.0),  # none documented: a polite default, raised per integration if softgarden agrees
    passthrough="frontend-v3",
)

#: What softgarden accepts as a username [doc]; other addresses get a derived one.
_USERNAME = re.compile(r"^[A-Za-z0-9.\-_+@]{1,250}$")


def rest_root(jobs_url: str) -> str:
    """``https://api.softgarden.io/api/rest`` from ``https://api.softgarden.io/api/rest/v3/frontend/jobslist/x``."""
    root, sep, _ = jobs_url.partition("/v3/frontend/")
    return root if sep else jobs_url.rstrip("/")


def rest_client(source: kit.KitSource) -> HttpClient:
    """The client-authorised (Basic client id) client on the REST root, made once per write."""
    base = rest_root(source.client.base_url)
    return source.sibling("rest", lambda: dataclasses.replace(source.client, base_url=base)).client


def user_client(source: kit.KitSource, token: str) -> HttpClient:
    """A client acting as the applicant (``Authorization: Bearer`` user token, no Basic auth)."""
    base = rest_root(source.client.base_url)
    make = lambda: dataclasses.replace(source.client, base_url=base, auth=None,  # noqa: E731
                                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    return source.sibling("applicant", make).client


def normalised(email: str) -> str:
    return email.strip().lower()


def username_for(email: str) -> str:
    """The applicant's login name: the normalised address when softgarden accepts it as a username,
    else a stable name derived from it (the same person always gets the same account)."""
    mail = normalised(email)
    return mail if _USERNAME.match(mail) else "atsb-" + hashlib.sha256(mail.encode()).hexdigest()[:32]


def applicant_password(client_id: str, email: str) -> str:
    """The applicant account's password, derived, never stored.

    Every softgarden application needs an applicant account, and atsbridge must log in as that applicant
    again on a retry (same Idempotency-Key) or for a later application of the same person. Storing
    passwords would put a credential per candidate in the database; deriving it, HMAC-SHA256 keyed with the
    integration's client id (a sealed secret) over the normalised address, makes it reproducible by this
    integration only. The shape meets softgarden's policy (>= 10 characters with upper, lower, digit and a
    special character): 27 base64url characters of the digest plus ``Aa1!``. Never logged.
    """
    digest = hmac.new(client_id.encode(), b"softgarden-applicant:" + normalised(email).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:27] + "Aa1!"
