"""Signed, expiring download links for attachments (the contract's hosted ``data_url``).

The link itself is the credential, like a pre-signed bucket URL, so HTTP clients and browsers can fetch it
without the API key. Content is fetched live from the ATS through the connector on each download.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from atsbridge.connectors.info import integration_info
from atsbridge.connectors.registry import get_connector
from atsbridge.core.errors import ApiError
from atsbridge.core.safetext import same_token
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES

LINK_TTL_SECONDS = 3600
#: Ours are about 150 characters; longer text is refused before any decoding work.
MAX_TOKEN_LENGTH = 1024
router = APIRouter(tags=["Files"])


def _files_key(secret: bytes) -> bytes:
    return hashlib.sha256(b"atsbridge-files\0" + secret).digest()


def _key(state: AppState) -> bytes:
    return _files_key(state.secret)


def _token(state: AppState, integration_id: str, attachment_id: str, expires: int) -> str:
    body = orjson.dumps([integration_id, attachment_id, expires])
    sig = hmac.new(_key(state), body, hashlib.sha256).digest()[:16]
    return (
        base64.urlsafe_b64encode(body).rstrip(b"=").decode() + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    )


def read_token(secret: bytes, token: str) -> tuple[str, str, int]:
    """What a link names, once its signature is checked (before parsing: forged bodies are never parsed).

    Total over any text: every malformed, foreign or altered token is a 404 ApiError, nothing else.
    """
    refused = ApiError("PLATFORM.INPUT_INVALID", "token: not a download link issued by this API", status=404)
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise refused
    body_text, _, sig = token.partition(".")
    try:
        body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
    except ValueError:
        raise refused from None
    expected = base64.urlsafe_b64encode(hmac.new(_files_key(secret), body, hashlib.sha256).digest()[:16])
    if not same_token(sig, expected.rstrip(b"=").decode()):
        raise refused
    found = orjson.loads(body)
    if not (isinstance(found, list) and len(found) == 3 and isinstance(found[2], int)):
        raise refused
    return str(found[0]), str(found[1]), found[2]


def download_url(request: Request, state: AppState, integration_id: str, attachment_id: str) -> str:
    base = state.settings.public_url or str(request.base_url).rstrip("/")
    token = _token(state, integration_id, attachment_id, int(time.time()) + LINK_TTL_SECONDS)
    return f"{base.rstrip('/')}/v1/files/{token}"


@router.get("/files/{token}", include_in_schema=False)
async def download(token: str, request: Request) -> Response:
    state = app_state(request)
    integration_id, attachment_id, expires = read_token(state.secret, token)
    if expires < time.time():
        raise ApiError("PLATFORM.INPUT_INVALID", "token: this download link has expired; list the attachments again")
    table = MODEL_TABLES["attachments"]
    with state.engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
        row = conn.execute(
            table.select().where(table.c.id == attachment_id, table.c.integration_id == integration_id)
        ).first()
    if integration is None or row is None:
        raise ApiError("PLATFORM.INPUT_INVALID", "the attachment no longer exists", status=404)
    connector = get_connector(integration.tool)
    if connector.download is None:
        raise ApiError("INTEGRATION.ACTION_NOT_AVAILABLE", f"{connector.label} does not serve file downloads")
    info = integration_info(state.engine, state.settings, integration)
    found = await connector.download(info, row.remote_id)
    if found is None:
        raise ApiError("PLATFORM.INPUT_INVALID", "the attachment no longer exists in the ATS", status=404)
    content, file_name, content_type = found
    safe_name = file_name.replace('"', "")
    return Response(
        content, media_type=content_type, headers={"Content-Disposition": f'attachment; filename="{safe_name}"'}
    )
