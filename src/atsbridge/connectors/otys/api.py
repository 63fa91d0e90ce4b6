"""OTYS Web Services (OWS): JSON-RPC 2.0 at ``POST https://ows.otys.nl/jservice.php`` [conn].

Every call, reads included, is a POST of ``{"jsonrpc": "2.0", "method": "Otys.Services.<Service>.<method>",
"params": [<session id>, ...]}``; the session id comes from ``loginByUid(<API key>)`` (``kit.jsonrpc.RpcSession``).
Errors come back with HTTP 200 (``{"error": {"message", "code"}}``); "Access denied; please login again" /
"... login first" mean an expired session (log in again, once). 350 requests/minute per API key [conn citing
the OTYS manual]; most lists cap at 200 rows per call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.kit import jsonrpc

Raw = dict[str, Any]

PATH = "/jservice.php"
SERVICES = "Otys.Services."

API = jsonrpc.RpcApi(
    base_url="https://ows.otys.nl",
    auth=jsonrpc.RpcSession(
        kit.Secret("api_key", "API key", help="OTYS Go! > Settings > Web services: the API key of the API user."),
        login_method="loginByUid",
    ),
    pager=jsonrpc.RpcOffset(page_size=200),  # the 200-row cap per call [conn]
    records_path="result.listOutput",
    rate=kit.RatePolicy(350, 60.0),  # 350 requests/minute per API key [conn]
    errors=jsonrpc.RpcErrors(auth_markers=("please login", "login first", "not logged in", "session")),
    passthrough="json-rpc",
)


def method(service: str, name: str) -> str:
    return f"{SERVICES}{service}.{name}"


def otys_time(ts: datetime) -> str:
    """Date condition parameters are ISO UTC with ``Z`` (the documented example) [conn]."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cond(field: str, op: str, param: Any) -> Raw:
    return {"type": "COND", "field": field, "op": op, "param": param}


def condition(*items: Raw) -> Raw:
    return {"condition": {"type": "AND", "items": list(items)}}


#: Soft-deleted records stay listed unless excluded (OTYS' own plugin always sends this condition) [conn].
NOT_DELETED = cond("isDeleted", "EQ", [0])
DELETED = cond("isDeleted", "EQ", [1])


def changed_since(ts: datetime) -> Raw:
    """The delta filter: ``lastModified`` GE the last sync [unverified: the field name of the change date]."""
    return condition(NOT_DELETED, cond("lastModified", "GE", otys_time(ts)))


async def call(source: kit.KitSource, service: str, name: str, *params: Any, create: bool = False) -> Any:
    return await jsonrpc.call(source.client, PATH, method(service, name), *params, create=create)


async def list_ex(source: kit.KitSource, service: str, what: Raw, *items: Raw) -> list[Raw]:
    """One filtered ``getListEx`` page (writes look records up with it)."""
    args = {"what": what, "limit": 50, "offset": 0, "getTotalCount": 1, **condition(NOT_DELETED, *items)}
    result = await call(source, service, "getListEx", args)
    rows = result.get("listOutput") if isinstance(result, dict) else None
    return [dict(r) for r in rows or [] if isinstance(r, dict)]


#: Applications need their candidate's and job's ids only; stages are three status lists.
WHAT_VACANCY: Raw = {k: 1 for k in ("uid", "internalId", "title", "status", "referenceNr", "location", "category",
                                     "userEmail", "entryDateTime", "lastModified", "textField_description",
                                     "textField_requirements", "textField_salary", "relation")}  # fmt: skip
WHAT_CANDIDATE: Raw = {"uid": 1, "internalId": 1, "statusId": 1, "source": 1, "entryDateTime": 1, "lastModified": 1,
                       "Person": {"firstName": 1, "infix": 1, "lastName": 1, "emailPrimary": 1, "phoneMobile": 1,
                                  "city": 1, "country": 1}}  # fmt: skip
WHAT_PROCEDURE: Raw = {"uid": 1, "candidateUid": 1, "vacancyUid": 1, "entryDateTime": 1, "lastModified": 1,
                       **{f"ProcedureStatus{n}": {"uid": 1, "code": 1} for n in (1, 2, 3)}}  # fmt: skip
