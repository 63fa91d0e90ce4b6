"""eRecruiter's (erecruiter.net) web API, declared once: a per-customer host, a token exchanged for the
mandator's API key (``X-ApiToken``), unpaged bare JSON arrays, and the lookups the streams share."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

Raw = dict[str, Any]

#: Every eRecruiter installation serves the API under its own host (``https://{domain}/Api``; Kombo's passthrough
#: names the same base [conn]). The form asks for the host (``erecruiter-api.acme.at``), not a slug.
DOMAIN = FormField(
    "domain", "eRecruiter API host", target="config", placeholder="erecruiter-api.acme.at",
    help="The host your eRecruiter API runs on, as in https://<host>/Api (its reference is at https://<host>/help).",
)  # fmt: skip

API = kit.VendorApi(
    base_url="https://{domain}/Api",
    # ``POST ~/Api/`` ``{Key, MandatorId, ClientInfo}`` -> ``{Token, Expires}``; the token goes in ``X-ApiToken``
    # [doc: the vendor's .NET client and the recorded help-page sample]. An expired token answers 401: the kit
    # logs in again once (the vendor's client renews 30 minutes early instead).
    auth=kit.SessionLogin(
        "/",
        {
            "Key": kit.Secret(
                "api_key",
                "API key",
                help="eRecruiter > Administration > API keys: a key with the "
                "Applicants, ApplicationSearch and Users permissions.",
            ),
            "MandatorId": kit.Text(
                "mandator_id",
                "Mandator id",
                help="The numeric id of your eRecruiter mandator (shown next to the API key).",
            ),
        },
        token_path="Token",
        header="X-ApiToken",
        template="{}",
    ),  # fmt: skip
    pager=kit.Single(),  # no list endpoint pages: each answers one bare JSON array [doc]
    records_path=None,
    # no documented limit [gap]: a modest pace; a 429 (if any) is backed off
    rate=kit.RatePolicy(10, 1.0, concurrency=4),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="api",
)

#: job id -> {"id"}: the jobs published on any of the mandator's channels (their applications are listed per job).
JOBS: kit.Lookup[Raw] = kit.Lookup("jobs")
#: applicant id -> {"id"}: every applicant with an application on a listed job (each read once).
APPLICANTS: kit.Lookup[Raw] = kit.Lookup("applicants")
#: application status name -> WorkflowStatusGroup: the stages, learnt from applications (no listing exists).
STATUSES: kit.Lookup[str] = kit.Lookup("statuses")
#: applicant tag -> True (tags are free strings on applicants).
TAGS: kit.Lookup[bool] = kit.Lookup("tags")
