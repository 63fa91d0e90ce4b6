"""Cornerstone OnDemand's Recruiting API, declared once: ``https://{corp}.csod.com/services/api``, OAuth2 client
credentials posted as camelCase JSON, ``Page``/``PageSize`` paging into ``{"data": [...]}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]

REQUISITIONS = "/Recruiting/JobRequisitionDetails"
APPLICANTS = "/Recruiting/JobApplicant"
UPDATE_STATUS = "/Recruiting/JobApplicantUpdateStatus"
APPLY = "/x/candidate/v1/application"

#: The scopes of the services this connector calls [conn: names like ``jobrequisition:read``; the exact set a
#: client may request is configured with the app in Edge > API Management, unverified].
SCOPES = "jobrequisition:read jobapplicant:read jobapplicant:update jobapplication:create"

#: [3p, unverified] Cornerstone's out-of-the-box applicant statuses. Every tenant renames and adds its own:
#: ``config.applicant_statuses`` (comma-separated) replaces this list, and it must name every status in use,
#: because the applicant listing requires one ``CurrentStatus`` per request.
DEFAULT_STATUSES = ("New Submission", "In Review", "Phone Screen", "Interview", "Offer Letter", "Hired", "Closed")
#: The status a rejection moves an applicant to (``config.reject_status`` overrides it).
DEFAULT_REJECT_STATUS = "Closed"

API = kit.VendorApi(
    base_url="https://{corp}.csod.com/services/api",
    auth=kit.JsonClientCredentials(
        "/oauth2/token",
        kit.Text("client_id", "Client ID", help="Admin > Tools > Edge > API Management: the registered app's ID."),
        kit.Secret("client_secret", "Client secret", help="The same app's secret (shown once when it is created)."),
        scope=SCOPES,
    ),
    # ``Page`` counts from 1; a short (or empty) page ends the listing [conn]
    pager=kit.PageNumber(param="Page", size_param="PageSize", page_size=100, records_path="data"),
    records_path="data",
    # throttles are per endpoint and published per service at csod.dev [doc]; a modest pace, 429s waited out
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="recruiting",
)


def statuses(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The applicant statuses to scan: ``config.applicant_statuses`` (a list or comma-separated) or the default."""
    value = config.get("applicant_statuses")
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list | tuple) else ()
    named = tuple(dict.fromkeys(s.strip() for s in items if isinstance(s, str) and s.strip()))
    return named or DEFAULT_STATUSES


def reject_status(config: Mapping[str, Any]) -> str:
    return str(config.get("reject_status") or "").strip() or DEFAULT_REJECT_STATUS


def application_id(req_id: Any, user_id: Any) -> str:
    """An applicant row is one user on one requisition, with no id of its own [gap]: ``{ReqId}:{UserId}``."""
    return f"{req_id}:{user_id}"


def split_application_id(remote_id: str) -> tuple[str, str] | None:
    req, sep, user = remote_id.rpartition(":")
    return (req, user) if sep and req and user else None
