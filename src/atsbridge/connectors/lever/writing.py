"""What every Lever write shares: the acting user, sending, one-time creates and fresh vendor records.

Lever quirks encoded here:

* Every write names an acting user with ``?perform_as=<user id>`` (Lever attributes notes, stage moves and
  sourcing to that user). It comes from ``remote_fields.lever.perform_as``, else ``config["perform_as"]``,
  else the first active super admin of the account.
* Writes answer with the opportunity *without* its applications (ids only), and stage and archive state live on
  the opportunity. Every action therefore returns the opportunity re-read with its applications and archive
  reason, exactly as the sync maps it, so write-through never blanks an application's job.
* Notes, files and opportunities are not idempotent in Lever. They are created with ``call.once`` (the kit's
  create-once protocol): the intent is recorded before the POST, the POST is never blindly re-sent, and a
  resumed call looks for what the first try may have created before creating it again.
"""

from __future__ import annotations

from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource
from atsbridge.connectors.lever.api import ARCHIVE_REASONS, opportunity_context

Raw = dict[str, Any]

#: A resumed call accepts a note or file created this long before its first try (clock skew with Lever).
SKEW_MS = 5 * 60_000
#: Lever parses a resume only when it comes with the create request; later uploads are plain files.
CV_WARNING = "Lever takes a resume only with the create request itself: the CV was added to the opportunity's files"


#: The account's first active super admin, looked up once per source.
ADMIN: kit.Memo[str] = kit.Memo("perform_as")


async def acting_user(source: KitSource, call: WriteCall) -> str:
    """The ``perform_as`` user of this write (see the module docstring for the order)."""
    explicit = call.remote_fields.get("perform_as") or source.config.get("perform_as")
    if explicit:
        return str(explicit)

    async def first_admin() -> str:
        users = await source.all_records("users", "/users")
        admin = next((u for u in users if u.get("accessRole") == "super admin" and not u.get("deactivatedAt")), None)
        if admin is None:
            raise RemoteError(
                "INTEGRATION.PERMISSION_MISSING",
                "Lever writes need an acting user and the account has no active super admin: set the "
                "integration's config perform_as to a Lever user id",
            )
        return str(admin["id"])

    return await source.memo(ADMIN, first_admin)


def body_of(response: httpx.Response, what: str) -> Raw:
    """The JSON body of a write; a cut-off body is retryable (the call resumes under its key)."""
    try:
        body = response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: Lever sent a body that is not complete JSON", retryable=True
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: Lever's answer has no data object")
    return body


def data_of(body: Raw) -> Raw:
    """The ``data`` object of a body :func:`body_of` checked."""
    data: Raw = body["data"]
    return data


async def send(
    source: KitSource,
    method: str,
    path: str,
    acting: str,
    *,
    json: Any = None,
    files: Any = None,
    creates: bool = False,
) -> Raw:
    """One write as ``acting``; the whole JSON body. ``creates``: a POST that must never be blindly repeated
    (``kit.create_request``: no retry on 5xx or timeouts, only on 429, which Lever answers before doing
    anything)."""
    params = {"perform_as": acting}
    if creates:
        response = await kit.create_request(source.client, method, path, params=params, json=json, files=files)
    else:
        response = await source.client.request(method, path, params=params, json=json, files=files)
    return body_of(response, f"{method} {path}")


async def get_data(source: KitSource, path: str, params: dict[str, Any] | None = None) -> Raw:
    response = await source.client.request("GET", path, params=params)
    return data_of(body_of(response, f"GET {path}"))


async def opportunity(source: KitSource, opportunity_id: str, raw: Raw | None = None) -> Raw:
    """The opportunity as the sync maps it: with its application objects and its archive reason. ``raw`` is a
    write's answer (the opportunity with application ids only); without it the opportunity is read."""
    if raw is None:
        raw = await get_data(source, f"/opportunities/{opportunity_id}")
    apps = await source.all_records("applications", f"/opportunities/{opportunity_id}/applications")
    reason_id = (raw.get("archived") or {}).get("reason")
    reason = (await source.lookup(ARCHIVE_REASONS)).get(reason_id) if reason_id else None
    return {**raw, "applications": apps, "_archive_reason": reason}


def child(raw: Raw, opp: Raw, kind: str | None = None) -> Raw:
    """A note or file of ``opp`` with the context its mapper needs."""
    out = {**raw, "_opportunity": opportunity_context(opp)}
    if kind is not None:
        out["_kind"] = kind
    return out


def siblings_warning(opp: Raw, what: str) -> list[str]:
    """Lever keeps stage and archive state per opportunity: say so when that moves other applications too."""
    count = len(opp.get("applications") or [])
    if count <= 1:
        return []
    return [f"Lever keeps {what} on the opportunity: its other {count - 1} application(s) changed too"]


async def add_note(source: KitSource, call: WriteCall, key: str, opportunity_id: str, text: str, acting: str) -> Raw:
    """``POST /opportunities/{id}/notes`` at most once; the note as Lever answered it (with ``noteId``)."""
    path = f"/opportunities/{opportunity_id}/notes"

    async def post() -> Raw:
        return data_of(await send(source, "POST", path, acting, json={"value": text}, creates=True))

    async def find(started: Any) -> Raw | None:
        since = int(started) - SKEW_MS
        notes = await source.all_records("notes", path)
        mine = [n for n in notes if _note_text(n) == text and int(n.get("createdAt") or 0) >= since]
        return mine[-1] if mine else None

    async def fetch(note_id: str) -> Raw:
        return await get_data(source, f"{path}/{note_id}")

    return await call.once(key, post, find=find, fetch=fetch)


def _note_text(note: Raw) -> str | None:
    fields = note.get("fields") or []
    return str(fields[0].get("value")) if fields and isinstance(fields[0], dict) else None


async def add_file(
    source: KitSource, call: WriteCall, key: str, opportunity_id: str, name: str, content: bytes, mime: str,
    acting: str,
) -> Raw:  # fmt: skip
    """``POST /opportunities/{id}/files`` (multipart ``file``) at most once; the file record."""
    path = f"/opportunities/{opportunity_id}/files"

    async def post() -> Raw:
        upload = {"file": (name, content, mime)}
        return data_of(await send(source, "POST", path, acting, files=upload, creates=True))

    async def find(started: Any) -> Raw | None:
        since = int(started) - SKEW_MS
        files = await source.all_records("files", path)
        mine = [f for f in files if f.get("name") == name and int(f.get("uploadedAt") or 0) >= since]
        return mine[-1] if mine else None

    async def fetch(file_id: str) -> Raw:
        return await get_data(source, f"{path}/{file_id}")

    return await call.once(key, post, find=find, fetch=fetch)
