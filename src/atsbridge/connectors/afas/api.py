"""AFAS Profit's REST API, declared once: ``AfasToken`` auth, ``skip``/``take`` paging, the customer's GetConnector
names, and Amsterdam local time dressed as UTC (both directions: read and filter)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.kit.auth import credential

BASE_URL = "https://{environment_id}.{environment_type}.afas.online/ProfitRestServices"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: The GetConnectors the customer builds on Profit's recruitment data collections, by role: (config key,
#: default name, field ids it must expose). AFAS ships no recruitment GetConnector, so the names are the
#: customer's [doc]; the defaults are ours [gap] and the Connect form asks for each.
CONNECTORS: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "vacancies": ("vacancies_connector", "Recruitment_Vacancies",
                  ("VacancyId", "Title", "Closed", "Department", "Location", "CreatedAt", "ModifiedAt")),
    "applicants": ("applicants_connector", "Recruitment_Applicants",
                   ("ApplicantId", "PersonId", "FirstName", "LastName", "Email", "Phone", "CreatedAt", "ModifiedAt")),
    "applications": ("applications_connector", "Recruitment_Applications",
                     ("ApplicationId", "ApplicantId", "VacancyId", "EmployerId", "Status", "LastAction",
                      "ApplicationDate", "ModifiedAt")),
}  # fmt: skip
#: The standard dossier GetConnector [doc]; its field ids here are [gap] (the fake's, see the fake's docstring).
SUBJECTS = "/connectors/Profit_Subjects"
ID_FIELD = {"vacancies": "VacancyId", "applicants": "ApplicantId", "applications": "ApplicationId"}
MODIFIED = "ModifiedAt"


def connector_path(config: Mapping[str, Any], role: str) -> str:
    """``/connectors/<the customer's GetConnector for role>``; a name that is not a plain id falls back to the
    default rather than reaching another path."""
    key, default, _ = CONNECTORS[role]
    name = str(config.get(key) or "").strip()
    return f"/connectors/{name if name.replace('_', '').replace('-', '').isalnum() else default}"


def local_time(value: object) -> datetime | None:
    """An AFAS date-time (``2024-03-31T02:30:00Z``: the ``Z`` is a lie, it is Europe/Amsterdam local time [doc])
    as a real UTC instant. An ambiguous wall time (the autumn hour) is read as its first occurrence."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        naive = datetime.fromisoformat(value.strip().removesuffix("Z")).replace(tzinfo=None)
    except ValueError:
        return None
    return naive.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def filter_time(ts: datetime) -> str:
    """A UTC instant as the Amsterdam wall time a GetConnector filter compares with. Inside the autumn hour that
    repeats, the earlier reading is sent, so nothing of the repeated hour is skipped (a few rows are read twice)."""
    local = ts.astimezone(AMSTERDAM).replace(tzinfo=None)
    first, second = local.replace(tzinfo=AMSTERDAM, fold=0), local.replace(tzinfo=AMSTERDAM, fold=1)
    if first.utcoffset() != second.utcoffset():
        local -= timedelta(hours=1)
    return local.strftime("%Y-%m-%dT%H:%M:%S")


def filters(*terms: tuple[str, object, int]) -> dict[str, str]:
    """``filterfieldids``/``filtervalues``/``operatortypes`` for AND-ed terms (``,``; 1 =, 2 >=) [doc]."""
    return {"filterfieldids": ",".join(t[0] for t in terms), "filtervalues": ",".join(str(t[1]) for t in terms),
            "operatortypes": ",".join(str(t[2]) for t in terms)}  # fmt: skip


@dataclass(frozen=True)
class AfasToken(kit.HeaderKey):
    """``Authorization: AfasToken <base64 of <token><version>1</version><data>…</data></token>>`` (base64 is
    mandatory since Profit 7 [doc]). The form takes the whole XML token or only its data part."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return HeaderAuth("Authorization", "AfasToken " + encode_token(credential(info, self.key)))


def encode_token(token: str) -> str:
    token = token.strip()
    if not token.startswith("<token>"):
        token = f"<token><version>1</version><data>{token}</data></token>"
    return base64.b64encode(token.encode()).decode()


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=AfasToken("Authorization", kit.Secret(
        "token", "App connector token",
        help="Profit > General > Management > App connector: the user token (the XML, or its data part).")),
    pager=kit.Offset(param="skip", size_param="take", page_size=100, records_path="rows"),
    records_path="rows",
    # fair use only, no published numbers [doc]: heavy GetConnectors get blocked, so a gentle default pace
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="api",
)  # fmt: skip
