"""The Connect operations through the official ``kombo==1.4.0`` SDK, including every validation error."""

from __future__ import annotations

import uuid

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboGeneralError
from sqlalchemy import Engine, select

from atsbridge.connect import links
from atsbridge.core.config import Settings
from atsbridge.scopes import service as scopes
from atsbridge.store import platform
from atsbridge.store.tables import connect_links
from tests.conftest import Server
from tests.connect.helpers import submit, token_of


def kombo(server: Server, key: str) -> Kombo:
    return Kombo(api_key=key, server_url=server.v1)


def link_row(engine: Engine, link: str) -> links.Link:
    with engine.connect() as conn:
        found = links.find(conn, link.rsplit("/", 1)[1])
    assert found is not None
    return found


def test_create_link_stores_only_a_hash(server: Server, engine: Engine, api_key: str, environment: str) -> None:
    res = kombo(server, api_key).connect.create_connection_link(
        end_user_email="hr@acme.example",
        end_user_organization_name="Acme",
        end_user_origin_id="cust-1",
        integration_category="ATS",
        integration_tool="greenhouse",
        language="de",
        link_type="MAGIC_LINK",
        enable_field_mapping=True,
    )
    link = res.data.link
    assert link.startswith(server.url + "/connect/")
    secret = link.rsplit("/", 1)[1]
    row = link_row(engine, link)
    assert (row.environment_id, row.integration_tool, row.language, row.link_type) == (
        environment, "greenhouse", "de", "MAGIC_LINK",
    )  # fmt: skip
    assert row.options["enable_field_mapping"] is True
    assert (row.expires_at - row.created_at).days == 365
    with engine.connect() as conn:
        stored = conn.execute(select(connect_links.c.token_hash).where(connect_links.c.id == row.id)).scalar_one()
    assert stored == links.digest(secret) and secret not in stored


def test_kombo_greenhousev3_key_means_our_greenhouse(server: Server, engine: Engine, api_key: str) -> None:
    link = (
        kombo(server, api_key)
        .connect.create_connection_link(
            end_user_email="hr@acme.example",
            end_user_organization_name="Acme",
            integration_category="ATS",
            integration_tool="greenhousev3",
        )
        .data.link
    )
    assert link_row(engine, link).integration_tool == "greenhouse"


def test_embedded_links_live_one_hour(server: Server, engine: Engine, api_key: str) -> None:
    link = (
        kombo(server, api_key)
        .connect.create_connection_link(
            end_user_email="a@b.example", end_user_organization_name="B", integration_category="ATS"
        )
        .data.link
    )
    row = link_row(engine, link)
    assert row.link_type == "EMBEDDED" and (row.expires_at - row.created_at).total_seconds() == 3600


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, 'integration_category: atsbridge connects ATS tools only; pass integration_category="ATS"'),
        ({"integration_category": "ATS", "end_user_email": "not-an-email"}, "end_user_email:"),
        ({"integration_category": "ATS", "end_user_organization_name": "  "}, "end_user_organization_name:"),
        ({"integration_category": "ATS", "integration_tool": "hr4you"}, "integration_tool: 'HR4YOU' is not avail"),
        ({"integration_category": "ATS", "integration_tool": "hibob"}, "available: abacusumantis, afas, ashby,"),
        ({"integration_category": "ATS", "remote_environment": "staging"}, "remote_environment: only allowed"),
        ({"integration_category": "ATS", "scope_config_id": "scp_missing"}, "scope_config_id: no scope config"),
    ],
)
def test_create_link_validation(server: Server, api_key: str, kwargs: dict[str, str], message: str) -> None:
    args = {"end_user_email": "hr@acme.example", "end_user_organization_name": "Acme", **kwargs}
    with pytest.raises(KomboGeneralError) as caught:
        kombo(server, api_key).connect.create_connection_link(**args)  # type: ignore[arg-type]
    assert caught.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert message in caught.value.data.error.message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"language": "nl"}, "language: must be one of en, de, fr, it, es"),
        ({"link_type": "FOREVER"}, "link_type: must be one of EMBEDDED, MAGIC_LINK"),
        ({"enable_field_mapping": "yes"}, "enable_field_mapping: must be true, false or null"),
        ({"end_user_email": None}, "end_user_email: required"),
        ({"integration_tool": 42}, "integration_tool: must be a string"),
        ({"integration_tool": "Not A Tool!"}, "integration_tool: unknown tool"),
    ],
)
def test_create_link_validation_raw(server: Server, api_key: str, body: dict[str, object], message: str) -> None:
    payload = {"end_user_email": "hr@acme.example", "end_user_organization_name": "Acme",
               "integration_category": "ATS", "unknown_key": 1, **body}  # fmt: skip
    res = httpx.post(server.v1 + "/connect/create-link", json=payload, headers={"Authorization": f"Bearer {api_key}"})
    assert res.status_code == 400
    assert res.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert message in res.json()["error"]["message"]


def test_scope_config_of_the_environment_is_accepted(
    server: Server, engine: Engine, api_key: str, environment: str
) -> None:
    config_id = scopes.create_config(engine, environment, "narrow", {})
    link = kombo(server, api_key).connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme", integration_category="ATS",
        scope_config_id=config_id,
    ).data.link  # fmt: skip
    assert link_row(engine, link).scope_config_id == config_id


def test_token_exchange_is_scoped_to_the_environment(server: Server, engine: Engine, api_key: str) -> None:
    k = kombo(server, api_key)
    link = k.connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme", end_user_origin_id="o-7",
        integration_category="ATS", integration_tool="sandbox",
    ).data.link  # fmt: skip
    done = submit(link, "sandbox", {"size": "tiny"})
    assert done.status_code == 200, done.text[:500]
    token = token_of(done.text)
    data = k.connect.get_integration_by_token(token=token).data
    assert data.tool == "sandbox" and data.id.startswith("sandbox:")
    assert (data.end_user_email, data.end_user_organization_name, data.end_user_origin_id) == (
        "hr@acme.example", "Acme", "o-7",
    )  # fmt: skip
    assert data.setup_status == "FINAL_SYNC_PENDING"
    with engine.begin() as conn:
        other_env = platform.create_environment(conn, f"other-{uuid.uuid4().hex[:6]}")
        other_key = platform.create_api_key(conn, other_env, "test")
    for key, wrong in ((other_key, token), (api_key, "no-such-token")):
        with pytest.raises(KomboGeneralError) as caught:
            kombo(server, key).connect.get_integration_by_token(token=wrong)
        assert caught.value.data.error.code == "PLATFORM.INPUT_INVALID"
        assert caught.value.data.error.message == "token: unknown or expired"


def test_relink_and_setup_links(server: Server, engine: Engine, settings: Settings, api_key: str) -> None:
    k = kombo(server, api_key)
    plain = k.connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme", integration_category="ATS",
        integration_tool="sandbox",
    ).data.link  # fmt: skip
    mapped = k.connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme", integration_category="ATS",
        integration_tool="sandbox", enable_field_mapping=True,
    ).data.link  # fmt: skip
    plain_id = k.connect.get_integration_by_token(token=token_of(submit(plain, "sandbox", {}).text)).data.id
    mapped_id = k.connect.get_integration_by_token(token=token_of(submit(mapped, "sandbox", {}).text)).data.id

    relink = k.general.create_reconnection_link(integration_id=plain_id, language="fr", link_type="MAGIC_LINK")
    row = link_row(engine, relink.data.link)
    assert (row.purpose, row.integration_id, row.language) == ("relink", plain_id, "fr")

    with pytest.raises(KomboGeneralError) as caught:
        k.general.create_setup_link(integration_id=plain_id, link_type="EMBEDDED")
    assert caught.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert "no setup step is enabled for this integration" in caught.value.data.error.message
    setup = k.general.create_setup_link(integration_id=mapped_id, link_type="EMBEDDED", language="es")
    assert link_row(engine, setup.data.link).purpose == "setup"


def test_relink_and_setup_need_an_own_integration(server: Server, api_key: str, engine: Engine) -> None:
    with engine.begin() as conn:
        other_env = platform.create_environment(conn, f"other-{uuid.uuid4().hex[:6]}")
        foreign = platform.create_integration(conn, other_env, "sandbox", "Foreign")
    k = kombo(server, api_key)
    for integration_id in (foreign, "sandbox:doesnotexist"):
        with pytest.raises(KomboGeneralError) as caught:
            k.general.create_reconnection_link(integration_id=integration_id)
        assert caught.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
        with pytest.raises(KomboGeneralError) as caught:
            k.general.create_setup_link(integration_id=integration_id, link_type="EMBEDDED")
        assert caught.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
