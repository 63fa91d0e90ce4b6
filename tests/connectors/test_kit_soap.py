"""The kit's SOAP layer (``kit.soap``, ``core.xmldata``, ``fakes.kit.soap``): XML as data, schema-ordered
requests, WS-Security, fault classification and ``Response_Filter`` paging."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import soap
from atsbridge.core import xmldata
from atsbridge.fakes.kit import soap as fake_soap
from atsbridge.fakes.kit.errors import VendorError

NS = "urn:example/svc"
B = soap.Builder(NS)


def test_xml_round_trips_as_data_and_refuses_dtds() -> None:
    data = {"@version": "v1", "Row": [{"ID": {"@type": "WID", "#text": "a"}}, {"ID": {"@type": "WID", "#text": "b"}}],
            "Count": 2}  # fmt: skip
    (element,) = xmldata.to_xml(NS, "List", data)
    back = soap.to_dict(soap.parse(ET.tostring(element)))
    assert back == {"@version": "v1", "Row": data["Row"], "Count": "2"}
    assert [soap.ref_id(r) for r in soap.many(back["Row"])] == ["a", "b"] and soap.one(None) is None
    assert soap.dig(back, "Row/ID") == {"@type": "WID", "#text": "a"} and soap.text(back["Count"]) == "2"
    for bad in (b"<a><b></a>", b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', b"\xff\xfe<a/>"):
        with pytest.raises(RemoteError) as caught:
            soap.parse(bad)
        assert caught.value.retryable


def test_from_mapping_follows_the_schema_order_and_writes_references() -> None:
    order = {"Data": ("First", "Second_Reference", "Third")}
    value = {"Third": [1, 2], "Extra": True, "Second_Reference": {"WID": "w1", "Other_ID": None}, "First": "x"}
    (element,) = soap.from_mapping(B, "Data", value, order)
    assert [soap.local(c.tag) for c in element] == ["First", "Second_Reference", "Third", "Third", "Extra"]
    assert soap.to_dict(element)["Second_Reference"] == {"ID": {"@type": "WID", "#text": "w1"}}
    assert soap.to_dict(element)["Extra"] == "true"
    assert soap.merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3, "d": None}, "e": 4}) == {"a": {"b": 1, "c": 3}, "e": 4}


def test_ws_security_token_goes_in_the_envelope_or_oauth_takes_over() -> None:
    auth = soap.WsSecurity(FormField("user", "User"), FormField("password", "Password"),
                           username_template="{username}@{tenant}")  # fmt: skip
    info = IntegrationInfo("x", "t", {"tenant": "acme"}, {"user": "isu", "password": "pw"})
    assert auth.token(info) == soap.UsernameToken("isu@acme", "pw")
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(200, content=request.content)

    client = httpx.Client(auth=auth.build(info, "https://h", None), transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    bare = soap.envelope(B("Ping"))
    client.post("https://h/svc", content=bare)
    client.post("https://h/svc", content=soap.envelope(B("Ping"), soap.UsernameToken("other@acme", "x")))
    client.post("https://h/svc", content=b"not xml")
    token = "Header/Security/UsernameToken/Username"
    users = [soap.text(soap.dig(soap.to_dict(soap.parse(b)), token)) for b in seen[:2]]
    assert users == ["isu@acme", "other@acme"] and seen[2] == b"not xml"
    assert all(not f.required for f in auth.fields)
    root = soap.parse(soap.envelope(B("Ping"), auth.token(info)))
    header = soap.to_dict(root)["Header"]
    assert soap.text(soap.dig(header, "Security/UsernameToken/Username")) == "isu@acme"
    assert auth.token(IntegrationInfo("x", "t", {}, {})) is None


def _fault(status: int, code: str, message: str) -> httpx.Response:
    body = (f'<s:Envelope xmlns:s="{soap.SOAP_ENV}"><s:Body><s:Fault><faultcode>{code}</faultcode><faultstring>'
            f"{message}</faultstring></s:Fault></s:Body></s:Envelope>").encode()  # fmt: skip
    return httpx.Response(status, content=body)


@pytest.mark.parametrize(("code", "message", "status"), [
    ("SOAP-ENV:Client.authenticationError", "invalid username or password", 401),
    ("SOAP-ENV:Client.validationError", "Invalid ID value", 400),
    ("SOAP-ENV:Server.processingError", "Try again", 500),
    ("SOAP-ENV:Server", "Request throttled", 429),
])  # fmt: skip
def test_faults_are_classified_by_their_code(code: str, message: str, status: int) -> None:
    shape = soap.SoapErrors()
    response = _fault(500, code, message)
    assert shape.status(response) == status and message in shape.text(response)
    assert shape.status(httpx.Response(502, content=b"<html>bad gateway")) == 502


def _client(handler: Any) -> HttpClient:
    return HttpClient(base_url="http://svc", transport=httpx.MockTransport(handler))


def test_pages_walk_total_pages_and_refuse_answers_out_of_step() -> None:
    rows = [{"ID": str(i)} for i in range(5)]
    asked: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        call, _ = fake_soap.read(request.content)
        assert call is not None and call.operation == "List_Request"
        served, paging = fake_soap.page(rows, call.data)
        asked.append(paging["Response_Results"]["Page"])
        answer = fake_soap.answer(NS, "List_Response", {**paging, "Response_Data": {"Row": served}})
        return httpx.Response(200, content=answer.body)

    def request(page: int) -> ET.Element:
        return B("List_Request", B("Response_Filter", B("Page", text=str(page)), B("Count", text="2")))

    async def collect(client: HttpClient) -> list[dict[str, Any]]:
        return [row async for page in soap.pages(client, "/svc", request, "Row") for row in page]

    assert asyncio.run(collect(_client(handler))) == rows and asked == [1, 2, 3]
    stuck = _client(lambda r: httpx.Response(200, content=fake_soap.answer(NS, "List_Response", {
        "Response_Results": {"Total_Pages": 3, "Page": 1}}).body))  # fmt: skip
    with pytest.raises(RemoteError, match="asked for page 2"):
        asyncio.run(collect(stuck))
    bare = _client(lambda r: httpx.Response(200, content=fake_soap.answer(NS, "List_Response", {}).body))
    with pytest.raises(RemoteError, match="no Response_Results"):
        asyncio.run(collect(bare))
    with pytest.raises(VendorError):
        fake_soap.page(rows, {"Response_Filter": {"Page": "0"}})
