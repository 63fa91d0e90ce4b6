"""SOAP over the kit's HTTP client, written once for every SOAP vendor (Workday's Web Services first).

* :func:`parse`, :func:`to_dict`, :func:`many`, :func:`one`, :func:`text`, :func:`dig`: XML as plain data from
  :mod:`atsbridge.core.xmldata` (``xml.etree.ElementTree`` after a defusedxml-style guard: no DTD, no entity
  declarations, a size cap; ``defusedxml`` is not a dependency; never regular expressions).
* :class:`Builder`: elements in one namespace (attributes qualified too, as WSDL-generated services expect);
  :func:`from_mapping` renders nested data in the schema's element order (``order``: parent -> child names,
  XSD sequences are validated), ``*_Reference`` objects as ``<ID type=...>`` lists.
* :func:`envelope`: the SOAP 1.1 envelope with an optional WS-Security ``UsernameToken`` (PasswordText).
* :class:`SoapErrors`: an :class:`~atsbridge.connectors.kit.errors.ErrorShape` reading ``soapenv:Fault``:
  the ``faultstring`` is the message, the ``faultcode`` decides the status (authentication -> 401, a client
  or validation fault -> 400, a server fault -> 500, throttling -> 429) whatever HTTP status carried it.
* :func:`call` (one operation) and :func:`pages` (``Response_Filter{Page, Count}`` until
  ``Response_Results/Total_Pages``; a missing results block or a page out of step fails the listing; the
  caller's ``request(page)`` pins ``As_Of_Entry_DateTime`` to one moment for every page).
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.auth import RefreshToken, credential
from atsbridge.connectors.kit.errors import MAX_ERROR_TEXT, ErrorShape
from atsbridge.connectors.kit.writes import create_request
from atsbridge.core import xmldata
from atsbridge.core.xmldata import dig, ids, local, many, one, text, to_dict

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "Accept": "text/xml"}

Raw = dict[str, Any]

__all__ = [
    "Builder", "SoapErrors", "UsernameToken", "WsSecurity", "call", "descriptor", "dig", "envelope", "fault",
    "from_mapping", "ids", "local", "many", "merge", "one", "pages", "parse", "ref_id", "text", "to_dict",
]  # fmt: skip


def _broken(message: str) -> RemoteError:
    return RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"the ATS answered unusable XML: {message}", retryable=True)


def parse(data: bytes) -> ET.Element:
    """:func:`atsbridge.core.xmldata.parse`, a refusal as a retryable ``RemoteError`` (a cut-off page)."""
    try:
        return xmldata.parse(data)
    except xmldata.XmlRefused as exc:
        raise _broken(str(exc)) from None


def ref_id(reference: Any, *types: str) -> str | None:
    """The first of ``types`` a reference carries (then its ``WID``, then any), None when it has none."""
    found = ids(reference)
    for kind in (*types, "WID"):
        if found.get(kind):
            return found[kind]
    return next(iter(found.values()), None)


def descriptor(reference: Any) -> str | None:
    ref = one(reference)
    return str(ref["@Descriptor"]) if isinstance(ref, dict) and ref.get("@Descriptor") else None


@dataclass(frozen=True)
class Builder:
    """Elements (and their attributes) in one namespace: ``B("Page", text="1")``."""

    ns: str
    prefix: str = "ns"

    def __call__(self, tag: str, *children: ET.Element | None, text: str | None = None,
                 attrs: Mapping[str, str] | None = None) -> ET.Element:  # fmt: skip
        element = ET.Element(f"{{{self.ns}}}{tag}", {f"{{{self.ns}}}{k}": v for k, v in (attrs or {}).items()})
        element.text = text
        element.extend(c for c in children if c is not None)
        return element

    def ref(self, tag: str, kind: str, value: str) -> ET.Element:
        """``<tag><ID type=kind>value</ID></tag>``."""
        return self(tag, self("ID", text=value, attrs={"type": kind}))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


Order = Mapping[str, Sequence[str]]


def from_mapping(b: Builder, tag: str, value: Any, order: Order | None = None) -> list[ET.Element]:
    """Nested data as elements named ``tag``: a dict's keys in the schema's ``order`` for ``tag`` (unknown keys
    after, in their order), a list as repeated elements, a ``*_Reference`` dict of scalars as ``ID`` elements
    (``{"WID": "abc"}`` -> ``<ID type="WID">abc</ID>``), scalars as text (booleans as true/false)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [e for item in value for e in from_mapping(b, tag, item, order)]
    if not isinstance(value, dict):
        return [b(tag, text=_scalar(value))]
    if tag.endswith("_Reference") and all(not isinstance(v, dict | list) for v in value.values()):
        return [b(tag, *(b("ID", text=_scalar(v), attrs={"type": k}) for k, v in value.items() if v is not None))]
    known = list((order or {}).get(tag, ()))
    keys = sorted(value, key=lambda k: (known.index(k) if k in known else len(known), list(value).index(k)))
    attrs = {k[1:]: _scalar(value[k]) for k in keys if k.startswith("@")}
    children = [e for k in keys if not k.startswith("@") for e in from_mapping(b, k, value[k], order)]
    return [b(tag, *children, attrs=attrs)]


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``extra`` over ``base``, dicts merged key by key (the caller's remote fields over the built request)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        elif value is not None:
            out[key] = value
    return out


@dataclass(frozen=True)
class UsernameToken:
    """WS-Security credentials sent in the envelope's header (never logged: :func:`envelope` only)."""

    username: str
    password: str


def _optional(field: FormField) -> FormField:
    return dataclasses.replace(field, required=False)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _security(token: UsernameToken) -> ET.Element:
    security = ET.Element(f"{{{WSSE}}}Security", {f"{{{SOAP_ENV}}}mustUnderstand": "1"})
    user = ET.SubElement(security, f"{{{WSSE}}}UsernameToken")
    ET.SubElement(user, f"{{{WSSE}}}Username").text = token.username
    ET.SubElement(user, f"{{{WSSE}}}Password", {"Type": PASSWORD_TEXT}).text = token.password
    return security


class _EnvelopeToken(httpx.Auth):
    """Adds the ``UsernameToken`` to an envelope sent without one (passthrough callers never hold the password);
    an envelope that has a ``wsse:Security`` header, or a body that is not an envelope, goes as it is."""

    def __init__(self, token: UsernameToken) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        try:
            root = xmldata.parse(request.content)
        except (xmldata.XmlRefused, httpx.RequestNotRead):
            yield request
            return
        if local(root.tag) != "Envelope" or root.find(f".//{{{WSSE}}}Security") is not None:
            yield request
            return
        header = root.find(f"{{{SOAP_ENV}}}Header")
        if header is None:
            header = ET.Element(f"{{{SOAP_ENV}}}Header")
            root.insert(0, header)
        header.append(_security(self.token))
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        yield httpx.Request(request.method, request.url, headers=headers, extensions=request.extensions,
                            content=bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)))  # fmt: skip


@dataclass(frozen=True)
class WsSecurity:
    """An integration user's WS-Security ``UsernameToken`` in every envelope (:func:`envelope` writes it; the
    client's auth adds it to envelopes sent without one, e.g. through passthrough), or, for an integration set up
    without a user name, the OAuth refresh-token ``alternative`` (a bearer token on each request; its token URL
    from ``token_url(base_url)`` unless ``config.token_url`` is set). Both sets of fields are optional on the
    Connect form: one of them is needed, and a request with neither is refused by the vendor (401).
    ``username_template`` adds config values (``"{username}@{tenant}"``) unless the name already has an ``@``."""

    username: FormField
    password: FormField
    alternative: RefreshToken | None = None
    token_url: Callable[[str], str] | None = None
    username_template: str = "{username}"

    @property
    def fields(self) -> tuple[FormField, ...]:
        other = self.alternative.fields if self.alternative else ()
        return tuple(_optional(f) for f in (self.username, self.password, *other))

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return self.alternative.advanced_fields if self.alternative else ()

    def token(self, info: IntegrationInfo | None) -> UsernameToken | None:
        if info is None:
            return None
        name = credential(info, self.username)
        if not name:
            return None
        if "@" not in name:
            values = {k: str(v) for k, v in info.config.items()}
            name = self.username_template.format_map(_Blank({**values, "username": name}))
        return UsernameToken(name, credential(info, self.password))

    def build(
        self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.Auth | None:
        token = self.token(info)
        if token is not None:
            return _EnvelopeToken(token)
        if self.alternative is None:
            return None
        oauth = self.alternative
        if self.token_url is not None:
            oauth = dataclasses.replace(oauth, token_url=self.token_url(base_url))
        return oauth.build(info, base_url, transport)


def envelope(body: ET.Element, token: UsernameToken | None = None) -> bytes:
    env = ET.Element(f"{{{SOAP_ENV}}}Envelope")
    if token is not None:
        ET.SubElement(env, f"{{{SOAP_ENV}}}Header").append(_security(token))
    ET.SubElement(env, f"{{{SOAP_ENV}}}Body").append(body)
    return bytes(ET.tostring(env, encoding="utf-8", xml_declaration=True))


def fault(root: ET.Element) -> tuple[str, str] | None:
    """(faultcode, faultstring) of a ``soapenv:Fault`` anywhere in the envelope's body, else None."""
    for element in root.iter(f"{{{SOAP_ENV}}}Fault"):
        code = element.findtext("faultcode") or ""
        message = element.findtext("faultstring") or ""
        return code.strip(), message.strip()
    return None


@dataclass(frozen=True)
class SoapErrors(ErrorShape):
    """Faults classified by ``faultcode``: a Workday-style service answers HTTP 500 for every fault."""

    #: faultcode or faultstring fragments (case-insensitive) meaning the credentials were refused.
    auth_markers: tuple[str, ...] = ("authentication", "invalid username or password", "invalid_token")
    #: ... meaning "slow down".
    throttle_markers: tuple[str, ...] = ("throttl", "rate limit", "too many")

    def _fault(self, response: httpx.Response) -> tuple[str, str] | None:
        try:
            return fault(parse(response.content[:MAX_ERROR_TEXT * 50]))
        except RemoteError:
            return None

    def text(self, response: httpx.Response) -> str:
        found = self._fault(response)
        return f"{found[0]}: {found[1]}" if found else response.text[:MAX_ERROR_TEXT]

    def status(self, response: httpx.Response) -> int:
        found = self._fault(response)
        if found is None:
            return response.status_code
        code, message = found[0].lower(), found[1].lower()
        if any(m in code or m in message for m in self.auth_markers):
            return 401
        if any(m in code or m in message for m in self.throttle_markers):
            return 429
        if "client" in code or "validation" in code:
            return 400
        return 500 if response.status_code < 500 else response.status_code


async def call(client: HttpClient, path: str, body: ET.Element, token: UsernameToken | None = None, *,
               create: bool = False, retry: bool = True) -> ET.Element:  # fmt: skip
    """One operation; the answer's body element (the ``*_Response``). ``create``: a non-idempotent operation,
    never re-sent on a 5xx or a timeout (see ``kit.create_request``); ``retry=False``: one attempt (a probe)."""
    content = envelope(body, token)
    if create:
        response = await create_request(client, "POST", path, content=content, headers=HEADERS)
    else:
        response = await client.request("POST", path, content=content, headers=HEADERS, retry=retry)
    root = parse(response.content)
    found = fault(root)
    if found is not None:  # a fault with a 2xx: classified like any other
        raise RemoteError("REMOTE.INPUT_INVALID", f"the ATS refused the request: {found[0]}: {found[1]}", status=400)
    bodies = [e for e in root if local(e.tag) == "Body"] if local(root.tag) == "Envelope" else []
    answer = next(iter(bodies[0]), None) if bodies else None
    if answer is None:
        raise _broken("no SOAP body")
    return answer


def _number(value: Any) -> int:
    try:
        return int(float(str(text(value) or "0")))
    except ValueError:
        return -1


async def pages(client: HttpClient, path: str, request: Callable[[int], ET.Element], records: str,
                token: UsernameToken | None = None) -> AsyncIterator[list[Raw]]:  # fmt: skip
    """Every page of a ``Response_Filter`` listing: ``request(page)`` builds the request for a page (from 1);
    yields the ``Response_Data/<records>`` rows as dicts until ``Total_Pages``."""
    page, total = 1, 1
    while page <= total:
        answer = to_dict(await call(client, path, request(page), token))
        results = answer.get("Response_Results") if isinstance(answer, dict) else None
        if not isinstance(results, dict):
            raise _broken("no Response_Results in a paged answer")
        total, served = _number(results.get("Total_Pages")), _number(results.get("Page"))
        if total < 0 or (total and served != page):
            raise _broken(f"asked for page {page}, got page {served} of {total}")
        data = answer.get("Response_Data")
        rows = many(data.get(records)) if isinstance(data, dict) else []
        if rows:
            yield [r for r in rows if isinstance(r, dict)]
        page += 1
