"""The fake side of Salesforce REST: a tiny SOQL subset, ``nextRecordsUrl`` query locators, sObject CRUD rows,
Salesforce error lists and the OAuth2 client-credentials token answer. For fakes of Salesforce-native vendors
(Connexys first); nothing here imports connector code.

SOQL served: ``SELECT f, rel__r.f, Rel.f FROM Obj [WHERE c AND c ...] [ORDER BY f [ASC|DESC]] [LIMIT n]`` where a
condition is ``field (=|!=|<|>|<=|>=) value`` or ``field IN (v, ...)``, a value a quoted string, number,
``true``/``false``, ``null`` or an unquoted dateTime literal. Relationship fields resolve ``X__r`` through
``X__c`` and ``Rel`` through ``RelId`` (``Rel.Type``: the target's object name). Anything else is a 400
``MALFORMED_QUERY``; an unknown column a 400 ``INVALID_FIELD``, as Salesforce answers.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials, Principal, basic_credentials
from atsbridge.fakes.kit.errors import VendorError

Raw = dict[str, Any]
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<dt>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>!=|<=|>=|=|<|>|\(|\)|,)|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)
_OPS = {"=", "!=", "<", ">", "<=", ">="}
_NONE = object()


def stamp(ts: datetime) -> str:
    """A dateTime as Salesforce's JSON writes it: ``2024-05-01T12:00:00.000+0000``."""
    ts = ts.astimezone(UTC)
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}+0000"


def _when(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def malformed(message: str) -> VendorError:
    return VendorError(400, message, code="MALFORMED_QUERY")


@dataclass(frozen=True)
class Cond:
    field: str
    op: str
    value: Any  # a literal, or a tuple for IN


@dataclass(frozen=True)
class Soql:
    fields: tuple[str, ...]
    obj: str
    where: tuple[Cond, ...] = ()
    order: tuple[str, bool] | None = None  # (field, descending)
    limit: int | None = None


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise malformed(f"unexpected token at position {pos}: {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _literal(kind: str, value: str) -> Any:
    if kind == "str":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    if kind == "dt":
        return _when(value)
    if kind == "num":
        return float(value) if "." in value else int(value)
    low = value.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    raise malformed(f"unexpected value {value!r}")


def parse(text: str) -> Soql:
    """The statement, or a 400 ``MALFORMED_QUERY`` naming what is wrong."""
    toks = _tokens(text)
    i = 0

    def word(expected: str | None = None) -> str:
        nonlocal i
        if i >= len(toks) or toks[i][0] != "word" or (expected and toks[i][1].upper() != expected):
            raise malformed(f"expecting {expected or 'a name'} at token {i}")
        i += 1
        return toks[i - 1][1]

    def peek(value: str) -> bool:
        return i < len(toks) and toks[i][1].upper() == value

    word("SELECT")
    fields = [word()]
    while peek(","):
        i += 1
        fields.append(word())
    word("FROM")
    obj, where, order, limit = word(), [], None, None
    if peek("WHERE"):
        i += 1
        while True:
            name = word()
            if peek("IN"):
                i += 1
                if not peek("("):
                    raise malformed("IN needs a list")
                i += 1
                values = []
                while i < len(toks) and toks[i][1] != ")":
                    if toks[i][1] != ",":
                        values.append(_literal(*toks[i]))
                    i += 1
                i += 1
                where.append(Cond(name, "IN", tuple(values)))
            else:
                if i + 1 >= len(toks) or toks[i][1] not in _OPS:
                    raise malformed(f"expecting an operator after {name}")
                where.append(Cond(name, toks[i][1], _literal(*toks[i + 1])))
                i += 2
            if not peek("AND"):
                break
            i += 1
    if peek("ORDER"):
        i += 1
        word("BY")
        field, desc = word(), False
        if peek("ASC") or peek("DESC"):
            desc = toks[i][1].upper() == "DESC"
            i += 1
        order = (field, desc)
    if peek("LIMIT"):
        i += 1
        if i >= len(toks) or toks[i][0] != "num":
            raise malformed("LIMIT needs a number")
        limit, i = int(toks[i][1]), i + 1
    if i != len(toks):
        raise malformed(f"unexpected token: {toks[i][1]!r}")
    return Soql(tuple(fields), obj, tuple(where), order, limit)


class Org:
    """The org's objects: ``tables[object][Id] = row`` (every row holds every column, None when empty;
    ``IsDeleted`` true for a row in the recycle bin). Relationship fields are resolved across all objects."""

    def __init__(self, tables: Mapping[str, dict[str, Raw]], version: str) -> None:
        self.tables = tables
        self.version = version

    def find(self, rid: Any) -> tuple[str, Raw] | None:
        for obj, rows in self.tables.items():
            if rid in rows:
                return obj, rows[rid]
        return None

    def attributes(self, obj: str, rid: Any) -> Raw:
        return {"type": obj, "url": f"/services/data/{self.version}/sobjects/{obj}/{rid}"}

    def _value(self, obj: str, row: Raw, field: str) -> Any:
        if "." not in field:
            if field not in row:
                raise VendorError(400, f"No such column '{field}' on entity '{obj}'", code="INVALID_FIELD")
            return row[field]
        rel, sub = field.split(".", 1)
        key = rel[:-3] + "__c" if rel.endswith("__r") else rel + "Id"
        if key not in row:
            raise VendorError(400, f"Didn't understand relationship '{rel}' on entity '{obj}'", code="INVALID_FIELD")
        target = self.find(row[key]) if row[key] else None
        if target is None:
            return _NONE
        if sub == "Type":
            return target[0]
        return self._value(target[0], target[1], sub)

    def render(self, obj: str, row: Raw, fields: tuple[str, ...]) -> Raw:
        out: Raw = {"attributes": self.attributes(obj, row["Id"])}
        for field in fields:
            value = self._value(obj, row, field)
            if "." not in field:
                out[field] = value
                continue
            rel, sub = field.split(".", 1)
            if value is _NONE:
                out.setdefault(rel, None)
                continue
            key = rel[:-3] + "__c" if rel.endswith("__r") else rel + "Id"
            target = self.find(row[key])
            nested = out.get(rel) or {"attributes": {"type": target[0] if target else None}}
            nested[sub] = value
            out[rel] = nested
        return out

    def _match(self, obj: str, row: Raw, cond: Cond) -> bool:
        value = self._value(obj, row, cond.field)
        value = None if value is _NONE else value
        if cond.op == "IN":
            return value in cond.value
        expected = cond.value
        if isinstance(expected, datetime):
            value = _when(value) if isinstance(value, str) else None
        if cond.op == "=":
            return bool(value == expected)
        if cond.op == "!=":
            return bool(value != expected)
        if value is None or expected is None:
            return False
        try:
            return bool({"<": value < expected, ">": value > expected, "<=": value <= expected,
                         ">=": value >= expected}[cond.op])  # fmt: skip
        except TypeError:
            raise VendorError(
                400, f"invalid comparison on {cond.field}", code="INVALID_QUERY_FILTER_OPERATOR"
            ) from None

    def run(self, text: str, *, all_rows: bool = False) -> list[Raw]:
        """The rows a query answers (``all_rows``: queryAll, deleted rows included)."""
        q = parse(text)
        if q.obj not in self.tables:
            raise VendorError(400, f"sObject type '{q.obj}' is not supported.", code="INVALID_TYPE")
        rows = [r for r in self.tables[q.obj].values() if all_rows or not r.get("IsDeleted")]
        rows = [r for r in rows if all(self._match(q.obj, r, c) for c in q.where)]
        if q.order is not None:
            field, desc = q.order
            rows.sort(key=lambda r: (self._value(q.obj, r, field) is None, str(self._value(q.obj, r, field))),
                      reverse=desc)  # fmt: skip
        if q.limit is not None:
            rows = rows[: q.limit]
        return [self.render(q.obj, r, q.fields) for r in rows]


class Locators:
    """Query cursors: the answered rows are kept (Salesforce's result set is fixed when the query runs) and
    served ``size`` at a time under ``nextRecordsUrl = /services/data/<v>/query/<locator>-<offset>``."""

    def __init__(self, version: str) -> None:
        self.version = version
        self._open: dict[str, list[Raw]] = {}
        self._lock = threading.Lock()

    def page(self, rows: list[Raw], size: int, locator: str | None = None, offset: int = 0) -> Raw:
        chunk = rows[offset : offset + size]
        body: Raw = {"totalSize": len(rows), "done": offset + size >= len(rows), "records": chunk}
        if not body["done"]:
            if locator is None:
                locator = "01g" + secrets.token_hex(8)
                with self._lock:
                    self._open[locator] = rows
            body["nextRecordsUrl"] = f"/services/data/{self.version}/query/{locator}-{offset + size}"
        return body

    def more(self, token: str, size: int) -> Raw:
        locator, _, offset = token.rpartition("-")
        with self._lock:
            rows = self._open.get(locator)
        if rows is None or not offset.isdigit():
            raise VendorError(400, "invalid query locator", code="INVALID_QUERY_LOCATOR")
        return self.page(rows, size, locator, int(offset))


def batch_size(request: Request, cap: int | None) -> int:
    """``Sforce-Query-Options: batchSize=N`` (200..2000, default 2000), lowered to the fake's page cap."""
    found = re.search(r"batchSize=(\d+)", request.headers.get("sforce-query-options", ""))
    size = max(200, min(int(found.group(1)), 2000)) if found else 2000
    return min(size, cap) if cap else size


def errors(error: VendorError) -> Any:
    """Salesforce's error list ``[{"message", "errorCode"}]``; the engine's own refusals get Salesforce's codes
    (401 ``INVALID_SESSION_ID``, 429 ``REQUEST_LIMIT_EXCEEDED``; Salesforce sends the latter with 403 — the
    fake keeps the fault's status, the body is the vendor's)."""
    code = error.code or {401: "INVALID_SESSION_ID", 404: "NOT_FOUND", 429: "REQUEST_LIMIT_EXCEEDED"}.get(
        error.status, "UNKNOWN_EXCEPTION" if error.status >= 500 else "INVALID_INPUT"
    )
    message = {401: "Session expired or invalid",
               429: "ConcurrentPerOrgLongTxn Limit exceeded."}.get(error.status, error.message)  # fmt: skip
    item: Raw = {"message": message if error.code is None else error.message, "errorCode": code}
    if error.field:
        item["fields"] = [error.field]
    return [item]


class SalesforceOAuth(OAuth2ClientCredentials):
    """``POST /services/oauth2/token`` client credentials (form or Basic). Salesforce answers no expiry (the
    session timeout is the org's) and refuses bad clients with **400** ``invalid_client``."""

    def __init__(self, client_id: str, client_secret: str, instance_url: Callable[[Request], str],
                 fixed: str | None = None) -> None:  # fmt: skip
        super().__init__(client_id, client_secret, path="/services/oauth2/token", ttl=7200.0)
        self.instance_url = instance_url
        #: A pre-issued session for demos and generic tests (``PROBE``); None: only issued tokens.
        self.fixed = fixed

    def check(self, request: Request) -> Principal | None:
        if self.fixed and request.headers.get("authorization", "") == f"Bearer {self.fixed}":
            return Principal("demo")
        return super().check(request)

    async def _token(self, request: Request) -> Response:
        form = parse_qs((await request.body())[:16_384].decode(errors="replace"))
        if form.get("grant_type") != ["client_credentials"]:
            return JSONResponse({"error": "unsupported_grant_type", "error_description": "grant type not supported"},
                                status_code=400)  # fmt: skip
        client = basic_credentials(request) or ((form.get("client_id") or [""])[0],
                                                (form.get("client_secret") or [""])[0])  # fmt: skip
        issued = self.issue(*client)
        if issued is None:
            return JSONResponse({"error": "invalid_client", "error_description": "invalid client credentials"},
                                status_code=400)  # fmt: skip
        now = str(int(datetime.now(UTC).timestamp() * 1000))
        base = self.instance_url(request)
        return JSONResponse({"access_token": issued[0], "signature": secrets.token_urlsafe(16), "scope": "api",
                             "instance_url": base, "id": f"{base}/id/00Dxx0000001gEREAY/005xx000001SwiUAAS",
                             "token_type": "Bearer", "issued_at": now})  # fmt: skip
