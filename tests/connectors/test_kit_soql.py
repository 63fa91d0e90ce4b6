"""kit.soql (the connector side of Salesforce REST) and fakes.kit.soql (its fake side): statements, the
``SystemModstamp`` delta clause, ``nextRecordsUrl`` paging from the host root, Salesforce error lists (403
``REQUEST_LIMIT_EXCEEDED`` is a rate limit), the token URL on the customer's host, and the fake's SOQL subset."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.soql import Locators, Org, parse

soql = kit.soql
TS = datetime(2025, 2, 3, 10, 15, 30, 999_000, tzinfo=UTC)


def test_statements_and_the_delta_clause() -> None:
    assert soql.query("User", ("Id", "Email"), ("IsActive = true",)) == (
        "SELECT Id, Email FROM User WHERE IsActive = true ORDER BY Id"
    )
    assert soql.quote("O'Brien \\ x") == "'O\\'Brien \\\\ x'"
    listed = soql.listed("Task", ("Id",), ("WhatId != null",))
    assert listed.path == "/query" and listed.params["q"].endswith("WHERE WhatId != null ORDER BY Id")
    assert isinstance(listed.since, kit.Since)
    assert listed.since.params(TS) == {
        "q": "SELECT Id FROM Task WHERE WhatId != null AND SystemModstamp >= 2025-02-03T10:15:30Z ORDER BY Id"
    }
    feed = soql.deleted("Event", "interviews")
    assert feed.path == "/queryAll" and "IsDeleted = true" in feed.params["q"]
    assert feed.id_of({"Id": "00U1"}) == "00U1" and feed.id_of({}) is None


def test_next_records_url_is_a_path_from_the_host_root() -> None:
    pager = soql.NextRecords()
    first = pager.first(PageRequest("GET", "/query", {"q": "SELECT Id FROM User"}))
    answered = httpx.Response(
        200, request=httpx.Request("GET", "https://acme.my.salesforce.com/services/data/v60.0/query")
    )
    body = {"done": False, "totalSize": 3, "records": [{}], "nextRecordsUrl": "/services/data/v60.0/query/01gX-2000"}
    nxt = pager.next(first, answered, body)
    assert nxt is not None and nxt.params is None
    assert nxt.url == "https://acme.my.salesforce.com/services/data/v60.0/query/01gX-2000"
    assert pager.next(first, answered, {**body, "done": True}) is None
    assert pager.next(first, answered, {"done": False}) is None  # no cursor: the listing ends, never loops


def test_salesforce_error_lists() -> None:
    shape = soql.SoqlErrors()
    limit = httpx.Response(
        403, json=[{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    )
    assert shape.status(limit) == 429 and shape.text(limit) == "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."
    dead = httpx.Response(401, json=[{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    assert shape.status(dead) == 401
    bad = httpx.Response(400, json=[{"message": "No such column 'X'", "errorCode": "INVALID_FIELD"}])
    assert shape.status(bad) == 400 and "INVALID_FIELD" in shape.text(bad)
    assert shape.text(httpx.Response(502, text="<html>bad gateway</html>")) == "<html>bad gateway</html>"


def test_the_token_url_is_filled_from_the_integrations_host() -> None:
    auth = kit.OAuthClientCredentials("https://{instance_host}/services/oauth2/token", kit.Text("client_id", "Id"),
                                      kit.Secret("client_secret", "Secret"))  # fmt: skip
    info = IntegrationInfo("i", "connexys", {"instance_host": "acme.my.salesforce.com"}, {"client_id": "a"})
    built = auth.build(info, "https://acme.my.salesforce.com", None)
    assert isinstance(built, OAuth2) and built.token_url == "https://acme.my.salesforce.com/services/oauth2/token"
    hostile = IntegrationInfo("i", "connexys", {"instance_host": "evil.example/x?"}, {})
    refused = auth.build(hostile, "", None)
    assert isinstance(refused, OAuth2) and "evil" not in refused.token_url


def test_the_fakes_soql_subset() -> None:
    q = parse("SELECT Id, Owner__r.Name FROM Obj__c WHERE A__c IN ('x', 'y') AND SystemModstamp >= "
              "2025-01-01T00:00:00Z AND Flag__c = true ORDER BY Id DESC LIMIT 5")  # fmt: skip
    assert q.obj == "Obj__c" and q.fields == ("Id", "Owner__r.Name") and q.order == ("Id", True) and q.limit == 5
    assert [c.op for c in q.where] == ["IN", ">=", "="]
    for broken in ("SELECT FROM X", "SELECT Id FROM X WHERE", "SELECT Id FROM X WHERE A ~ 1", "DELETE X"):
        with pytest.raises(VendorError) as info:
            parse(broken)
        assert info.value.code == "MALFORMED_QUERY"
    new, old = "2025-02-01T00:00:00.000+0000", "2024-02-01T00:00:00.000+0000"
    tables = {"Obj__c": {"a1": {"Id": "a1", "IsDeleted": False, "Owner__c": "u1", "OwnerId": "u1",
                                "SystemModstamp": new},
                         "a2": {"Id": "a2", "IsDeleted": True, "Owner__c": None, "OwnerId": None,
                                "SystemModstamp": old}},
              "User": {"u1": {"Id": "u1", "IsDeleted": False, "Name": "Ada"}}}  # fmt: skip
    org = Org(tables, "v60.0")
    (row,) = org.run("SELECT Id, Owner__r.Name, Owner.Type FROM Obj__c WHERE SystemModstamp >= 2025-01-01T00:00:00Z")
    assert row["Owner__r"]["Name"] == "Ada" and row["Owner"]["Type"] == "User" and row["attributes"]["type"] == "Obj__c"
    assert [r["Id"] for r in org.run("SELECT Id FROM Obj__c WHERE IsDeleted = true", all_rows=True)] == ["a2"]
    assert org.run("SELECT Id FROM Obj__c WHERE IsDeleted = true") == []
    with pytest.raises(VendorError) as info:
        org.run("SELECT Nope FROM Obj__c")
    assert info.value.code == "INVALID_FIELD"
    cursors = Locators("v60.0")
    page = cursors.page([{"n": i} for i in range(5)], 2)
    assert page["done"] is False and page["totalSize"] == 5
    token = page["nextRecordsUrl"].rsplit("/", 1)[1]
    last = cursors.more(token.replace("-2", "-4"), 2)
    assert last["done"] is True and last["records"] == [{"n": 4}] and "nextRecordsUrl" not in last
    with pytest.raises(VendorError):
        cursors.more("01gunknown-2", 2)
