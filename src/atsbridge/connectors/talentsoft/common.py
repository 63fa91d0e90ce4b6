"""What Talentsoft's two recruiting APIs share (the FrontOffice API v2 of ``talentsoft`` and the Customer API v1
of ``talentsoftcustomer``): the token endpoint, the error shape, the outcome rule and the person/offer mappers.

* Auth [doc]: OAuth2 client credentials at ``https://<site>/api/token`` (the site the API lives on, so the
  token URL is derived from the base URL; ``config.token_url`` overrides it); ``expires_in`` 1199 s, and the
  kit renews the token before expiry and once on a 401. The docs show the client in the form body; the kit
  sends it as HTTP Basic, which OAuth2 servers must accept (RFC 6749 2.3.1) and which sidesteps the documented
  "unencoded ``+`` in the secret" trap. [unverified on a tenant]
* Errors [gap]: ASP.NET-style ``{"message": ...}`` bodies; statuses carry the meaning (401, 404, 429).
* Rate [doc]: "the number of API calls must be kept to a minimum", no numbers: both connectors pace at 5
  requests/second and ride out 429s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.kit.values import obj
from atsbridge.connectors.outcomes import OutcomeRule

Raw = Mapping[str, Any]

#: Application statuses are the customer's own referential (``applicationevents``, client codes + labels) [doc]:
#: the default knows the usual French and English labels; everything else goes through the integration's
#: status map (matched against the label and the client code).
OUTCOMES = OutcomeRule(
    statuses={
        "hired": "HIRED", "recruited": "HIRED", "recruté": "HIRED", "recrutement": "HIRED", "embauché": "HIRED",
        "rejected": "DECLINED", "refused": "DECLINED", "refusé": "DECLINED", "refus": "DECLINED",
        "withdrawn": "DECLINED", "désistement": "DECLINED",
    },
    default="PENDING",
)  # fmt: skip

RATE = kit.RatePolicy(5, 1.0, concurrency=2)
#: What neither API serves, in the order both declarations list it (the README matrix shows it in this order).
UNSERVED_READS = ("users", "interviews", "offers", "notes", "scorecards", "tags", "rejection_reasons", "attachments",
                  "roles")  # fmt: skip
UNSERVED_WRITES = ("move_application_to_stage", "reject_application", "add_application_note", "add_candidate_tag",
                   "remove_candidate_tag")  # fmt: skip
ERRORS = kit.ErrorShape()
_EMPLOYMENT = {"CDI": "FULL_TIME", "PERMANENT": "FULL_TIME", "CDD": "TEMPORARY", "FIXED_TERM": "TEMPORARY",
               "INTERIM": "TEMPORARY", "TEMPORARY": "TEMPORARY", "FREELANCE": "CONTRACT", "CONTRACT": "CONTRACT",
               "INTERNSHIP": "INTERNSHIP", "STAGE": "INTERNSHIP", "APPRENTICESHIP": "INTERNSHIP",
               "PART_TIME": "PART_TIME"}  # fmt: skip


@dataclass(frozen=True)
class SiteClientCredentials(kit.OAuthClientCredentials):
    """Client credentials whose token endpoint is ``/api/token`` on the API's own host (each customer's site)."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        parts = urlsplit(base_url)
        site = kit.OAuthClientCredentials(f"{parts.scheme}://{parts.netloc}/api/token", self.client_id,
                                          self.client_secret)  # fmt: skip
        return site.build(info, base_url, transport)


def unavailable(no_read: str, reads: Sequence[str], no_write: str, writes: Sequence[str]) -> dict[str, str]:
    """The ``unavailable`` declaration both APIs share: each API's reason template, filled with its own words
    for each model (``UNSERVED_READS`` order) and each write (``UNSERVED_WRITES`` order)."""
    return {**{name: no_read.format(what) for name, what in zip(UNSERVED_READS, reads, strict=True)},
            **{name: no_write.format(what) for name, what in zip(UNSERVED_WRITES, writes, strict=True)}}  # fmt: skip


def auth(where: str) -> SiteClientCredentials:
    return SiteClientCredentials(
        "https://<site>/api/token",
        kit.Text("client_id", "Client ID", help=where),
        kit.Secret("client_secret", "Client secret", help="The secret generated with the client ID."),
    )


def vendor_api(base_url: str, where: str, pager: kit.Offset, passthrough: str) -> kit.VendorApi:
    """One of the two APIs: the site's client credentials (``where``: the client ID's help), lists under ``data``."""
    return kit.VendorApi(
        base_url=base_url,
        auth=auth(where),
        pager=pager,
        records_path="data",
        rate=RATE,
        errors=ERRORS,
        headers=(("Accept-Language", "en-US"),),
        passthrough=passthrough,
    )


def application_fields(raw: Raw, status: Any, job: Any, candidate: Any, ctx: MapContext) -> dict[str, Any]:
    """An application's fields: ``status`` is its referential status, ``job`` and ``candidate`` the remote ids."""
    stage = code(status)
    return {
        "outcome": outcome(status, ctx),
        "job_id": ctx.ref("jobs", job),
        "candidate_id": ctx.ref("candidates", candidate),
        "current_stage_id": ctx.ref("application_stages", stage) if stage else None,
        "remote_created_at": ctx.dt(raw.get("applicationDate")),
        "remote_updated_at": ctx.dt(raw.get("modificationDate")),
        "custom_fields": {"status": label(status), "origin": raw.get("origin")},
    }


def code(value: Any) -> str | None:
    """A referential value ``{clientCode, label}`` -> its client code (or the bare string)."""
    if isinstance(value, Mapping):
        found = value.get("clientCode") or value.get("id")
        return str(found) if found is not None else None
    return str(value) if value not in (None, "") else None


def label(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return str(value["label"]) if value.get("label") is not None else None
    return str(value) if value not in (None, "") else None


def outcome(status: Any, ctx: MapContext) -> str:
    """The application's status (a referential value) through the integration's map, then ``OUTCOMES``."""
    return ctx.outcome(OUTCOMES, label(status), names=(label(status), code(status)))


def person_fields(raw: Raw, ctx: MapContext) -> dict[str, Any]:
    """An applicant (FO) or candidate (Customer API): both documented as camelCase personal data [gap]."""
    mail, phone, address = raw.get("email"), raw.get("phoneNumber"), obj(raw.get("address"))
    place = {"city": address.get("city"), "zip_code": address.get("postalCode"),
             "country": label(address.get("country"))}  # fmt: skip
    return {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "email_addresses": [{"email_address": mail, "type": "PERSONAL"}] if mail else [],
        "phone_numbers": [{"phone_number": phone, "type": "MOBILE"}] if phone else [],
        "location": place if any(place.values()) else None,
        "remote_created_at": ctx.dt(raw.get("creationDate")),
        "remote_updated_at": ctx.dt(raw.get("modificationDate")),
    }


def offer_fields(raw: Raw, ctx: MapContext) -> dict[str, Any]:
    """An offer (FO ``getoffer``) or vacancy (Customer exports): title, organisation, contract type, location,
    descriptions and the custom fields [conn: ``title``, ``offerUrl``, ``organisation{name}``,
    ``customFields{offer{...}}``; the rest gap]."""
    contract = code(raw.get("contractType"))
    where = obj(raw.get("location"))
    place = {"city": where.get("city"), "zip_code": where.get("postalCode"), "country": label(where.get("country"))}
    texts = [str(raw[k]) for k in ("description1", "description2") if raw.get(k)]
    org = obj(raw.get("organisation"))
    return {
        "name": raw.get("title"),
        "description": "\n".join(texts) or None,
        "employment_type": _EMPLOYMENT.get(str(contract).upper()) if contract else None,
        "department": org.get("name") or org.get("label"),
        "location": place if any(place.values()) else None,
        "post_url": raw.get("offerUrl"),
        "remote_created_at": ctx.dt(raw.get("creationDate")),
        "remote_updated_at": ctx.dt(raw.get("modificationDate")),
        "custom_fields": {
            **{k: v for k, v in obj(obj(raw.get("customFields")).get("offer")).items()},
            "contract_type": label(raw.get("contractType")),
            "reference": raw.get("reference"),
        },
    }
