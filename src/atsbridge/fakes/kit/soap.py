"""SOAP services on the fake engine: envelopes read, answers and ``soapenv:Fault`` refusals written, the
WS-Security ``UsernameToken`` (or an OAuth refresh-token client's bearer token) checked, and
``Response_Filter{Page, Count}`` paging with ``Response_Results``.

XML is read and written with :mod:`atsbridge.core.xmldata` (ElementTree behind a DTD/entity guard).
"""

from __future__ import annotations

import hmac
import math
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.core.xmldata import XmlRefused, dig, local, parse, text, to_dict, to_xml
from atsbridge.fakes.kit.auth import Auth, Principal, basic_credentials
from atsbridge.fakes.kit.errors import VendorError

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
XML = "text/xml; charset=utf-8"
Raw = dict[str, Any]

#: status -> the faultcode a Workday-style service answers with.
FAULT_CODES = {400: "SOAP-ENV:Client.validationError", 401: "SOAP-ENV:Client.authenticationError",
               404: "SOAP-ENV:Client.validationError", 429: "SOAP-ENV:Server.throttled"}  # fmt: skip


def _envelope(*body: ET.Element) -> bytes:
    env = ET.Element(f"{{{SOAP_ENV}}}Envelope")
    ET.SubElement(env, f"{{{SOAP_ENV}}}Body").extend(body)
    return bytes(ET.tostring(env, encoding="utf-8", xml_declaration=True))


def fault(error: VendorError) -> Response:
    """The engine's error shape: a SOAP 1.1 fault (the engine sets the status)."""
    element = ET.Element(f"{{{SOAP_ENV}}}Fault")
    ET.SubElement(element, "faultcode").text = error.code or FAULT_CODES.get(error.status, "SOAP-ENV:Server")
    ET.SubElement(element, "faultstring").text = error.message
    return Response(_envelope(element), media_type=XML)


def answer(ns: str, tag: str, data: Raw, version: str | None = None) -> Response:
    body = to_xml(ns, tag, {**({"@version": version} if version else {}), **data})
    return Response(_envelope(*body), media_type=XML)


@dataclass(frozen=True)
class SoapCall:
    """The operation (the body's element, e.g. ``Get_Candidates_Request``) and its data."""

    operation: str
    data: Raw


def read(body: bytes) -> tuple[SoapCall | None, Raw]:
    """(the operation, the envelope's header as data); a body that is not a SOAP envelope -> (None, {})."""
    try:
        root = parse(body)
    except XmlRefused:
        return None, {}
    if local(root.tag) != "Envelope":
        return None, {}
    parts = {local(child.tag): child for child in root}
    header = to_dict(parts["Header"]) if "Header" in parts else {}
    first = next(iter(parts["Body"]), None) if "Body" in parts else None
    if first is None:
        return None, header if isinstance(header, dict) else {}
    data = to_dict(first)
    head = header if isinstance(header, dict) else {}
    return SoapCall(local(first.tag), data if isinstance(data, dict) else {}), head


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class WsSecurityAuth(Auth):
    """A ``UsernameToken`` in the envelope's header, or ``Authorization: Bearer`` with a token issued by
    ``token_path`` for the refresh-token grant (client id and secret by Basic auth)."""

    def __init__(self, username: str, password: str, *, client: tuple[str, str], refresh_token: str,
                 token_path: str) -> None:  # fmt: skip
        self.username, self.password, self.client, self.refresh = username, password, client, refresh_token
        self.token_path = token_path
        self.issued: set[str] = set()

    def check(self, request: Request) -> Principal | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            return Principal("oauth") if token in self.issued else None
        # the engine has read the body before the auth check (Starlette keeps it on the request)
        _, header = read(getattr(request, "_body", b""))
        user = dig(header, "Security/UsernameToken")
        name, password = text(dig(user, "Username")) or "", text(dig(user, "Password")) or ""
        return Principal(name) if _same(name, self.username) and _same(password, self.password) else None

    async def _token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        creds = basic_credentials(request) or ("", "")
        good = _same(creds[0], self.client[0]) and _same(creds[1], self.client[1])
        refresh = str(form.get("refresh_token") or "")
        if not good or form.get("grant_type") != "refresh_token" or not _same(refresh, self.refresh):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        token = secrets.token_urlsafe(16)
        self.issued.add(token)
        return JSONResponse({"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                             "refresh_token": self.refresh})  # fmt: skip

    def routes(self) -> list[Route]:
        return [Route(self.token_path, self._token, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {"isu_username": self.username, "isu_password": self.password}


def page(rows: list[Any], request: Raw, cap: int | None = None) -> tuple[list[Any], Raw]:
    """The requested page of ``rows`` and its ``Response_Results`` (``Count`` 1-999, default 100; Page >= 1)."""
    wanted = request.get("Response_Filter") if isinstance(request.get("Response_Filter"), dict) else {}
    try:
        number = int(float(text(dig(wanted, "Page")) or 1))
        count = int(float(text(dig(wanted, "Count")) or 100))
    except ValueError:
        raise VendorError(400, "Invalid Page or Count value") from None
    if number < 1 or not 1 <= count <= 999:
        raise VendorError(400, "Page must be greater than 0 and Count between 1 and 999")
    count = min(count, cap or count)
    served = rows[(number - 1) * count : number * count]
    results = {"Total_Results": len(rows), "Total_Pages": math.ceil(len(rows) / count), "Page_Results": len(served),
               "Page": number}  # fmt: skip
    return served, {"Response_Filter": {"Page": number, "Count": count}, "Response_Results": results}
