"""The built-in sandbox ATS: any environment can connect it without credentials.

Its data is the seeded generator's base records with the sandbox ATS's own changes (``sandbox_changes``,
written by :func:`~atsbridge.connectors.sandbox.simulate.simulate`) layered on top. It enters the store the
way every connector's data does: vendor record -> stream mapper -> validated unified record.

Integration config: ``{"seed": int, "size": "tiny" | "small" | "medium" | "large" | int}``.
"""

from __future__ import annotations

import asyncio
import base64
import unicodedata
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import Capabilities, Connector, Deletions, IntegrationInfo, Mapper, Stream
from atsbridge.connectors.sandbox import mappers, state
from atsbridge.connectors.sandbox.actions import ACTIONS
from atsbridge.connectors.sandbox.connect import CONNECT
from atsbridge.connectors.sandbox.generator import KINDS, SandboxATS, sandbox
from atsbridge.model.registry import MODELS, SYNC_ORDER

Record = dict[str, Any]
PAGE_SIZE = 1000
DEFAULT_SEED = 1  # what the CLI assumes too
DEFAULT_SIZE = "small"


def sandbox_for(info: IntegrationInfo) -> SandboxATS:
    size = info.config.get("size", DEFAULT_SIZE)
    return sandbox(int(info.config.get("seed", DEFAULT_SEED)), int(size) if str(size).isdigit() else str(size))


class SandboxSource:
    """One sync run's view of a sandbox integration."""

    def __init__(self, info: IntegrationInfo) -> None:
        self.info = info
        self.gen = sandbox_for(info)
        self.engine: Engine | None = info.engine

    async def read(self, stream: Stream, since: datetime | None) -> AsyncIterator[list[Record]]:
        """Pages of vendor records: everything when ``since`` is None, else the sandbox's changes since then.

        DB work and generation run in a worker thread, one short unit per page, so neither a connection
        nor the event loop is held across a yield.
        """
        kind = stream.name
        if since is not None:
            async for page in self._changes(kind, since):
                yield page
            return
        rows = await asyncio.to_thread(state.load, self.engine, self.info.id, kind) if self.engine else []
        overlay = {row.remote_id: row.payload for row in rows}
        created = [r.payload for r in rows if r.payload is not None and self.gen.index_of(kind, r.remote_id) is None]
        for start in range(0, self.gen.count(kind), PAGE_SIZE):
            page = await asyncio.to_thread(self._base_page, kind, start, overlay)
            if page:
                yield page
        for start in range(0, len(created), PAGE_SIZE):
            yield created[start : start + PAGE_SIZE]

    def _base_page(self, kind: str, start: int, overlay: dict[str, Record | None]) -> list[Record]:
        """Base records ``start..start+PAGE_SIZE``, replaced by their overlay version, deleted ones left out."""
        page: list[Record] = []
        for index in range(start, min(start + PAGE_SIZE, self.gen.count(kind))):
            rid = self.gen.remote_id(kind, index)
            if rid in overlay:
                payload = overlay[rid]
                if payload is not None:
                    page.append(payload)
            else:
                page.append(self.gen.record(kind, index))
        return page

    async def _changes(self, kind: str, since: datetime) -> AsyncIterator[list[Record]]:
        if self.engine is None:
            return
        after: tuple[datetime, int, str] | None = None
        while True:
            rows = await asyncio.to_thread(state.changed_page, self.engine, self.info.id, kind, since, after, PAGE_SIZE)
            if rows:
                yield [row.payload for row in rows if row.payload is not None]
            if len(rows) < PAGE_SIZE:
                return
            after = (rows[-1].updated_at, rows[-1].seq, rows[-1].remote_id)

    async def deletions(self, since: datetime | None) -> Deletions:
        if self.engine is None:
            return Deletions()
        return Deletions(by_model=await asyncio.to_thread(state.deleted_since, self.engine, self.info.id, since))

    async def aclose(self) -> None:
        return None


def open_source(info: IntegrationInfo) -> SandboxSource:
    return SandboxSource(info)


# ------------------------------------------------------------------------------------------ attachments
def current_record(info: IntegrationInfo, kind: str, remote_id: str) -> Record | None:
    """A record as the sandbox ATS serves it now: overlay version, else base record; None if deleted."""
    gen = sandbox_for(info)
    if info.engine is not None:
        row = state.get(info.engine, info.id, kind, remote_id)
        if row is not None:
            return row.payload
    index = gen.index_of(kind, remote_id)
    return None if index is None else gen.record(kind, index)


def attachment_content(info: IntegrationInfo, attachment_remote_id: str) -> tuple[bytes, str, str] | None:
    """(bytes, file name, content type) of a sandbox attachment: a small, valid, deterministic document."""
    rec = current_record(info, "attachments", attachment_remote_id)
    if rec is None:
        return None
    if rec.get("contentBase64"):  # uploaded through the API: serve exactly what was uploaded
        return (
            base64.b64decode(rec["contentBase64"]),
            rec.get("fileName") or attachment_remote_id,
            (rec.get("mimeType") or "application/octet-stream"),
        )
    cand = current_record(info, "candidates", rec.get("candidateId") or "") or {}
    name = f"{cand.get('firstName', '')} {cand.get('lastName', '')}".strip() or rec.get("candidateId", "")
    title = {"resume": "Curriculum Vitae", "cover_letter": "Cover Letter", "portfolio": "Portfolio"}.get(
        rec.get("category", ""), "Document"
    )
    lines = [f"{title} - {name}", ""]
    emails = [e["address"] for e in cand.get("emails") or []]
    if emails:
        lines.append(f"Email: {emails[0]}")
    if cand.get("headline") or cand.get("currentCompany"):
        lines.append(f"Current role: {cand.get('headline') or ''} at {cand.get('currentCompany') or 'n/a'}")
    lines += ["", f"File {rec.get('fileName')} ({attachment_remote_id}), generated by the atsbridge sandbox ATS."]
    content_type = rec.get("mimeType") or "application/pdf"
    file_name = rec.get("fileName") or f"{attachment_remote_id}.pdf"
    if content_type == "application/pdf":
        return tiny_pdf(lines), file_name, content_type
    return ("\n".join(lines) + "\n").encode(), file_name, content_type


async def download(info: IntegrationInfo, attachment_remote_id: str) -> tuple[bytes, str, str] | None:
    """The connector's live download hook: :func:`attachment_content` off the event loop."""
    return await asyncio.to_thread(attachment_content, info, attachment_remote_id)


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with Helvetica text and a correct xref table (opens in any viewer)."""
    safe = [unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode() for line in lines]
    escaped = [s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for s in safe]
    text = "BT /F1 12 Tf 72 740 Td 16 TL " + " ".join(f"({s}) Tj T*" for s in escaped) + " ET"
    stream = text.encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ------------------------------------------------------------------------------------------- connector
def _stream(name: str) -> Stream:
    mapper: Mapper = mappers.MAPPERS[name]
    return Stream(name=name, models=(name,), mapper=mapper, incremental=True)


assert tuple(KINDS) == SYNC_ORDER, "sandbox kinds must follow the sync order"

CONNECTOR = Connector(
    tool="sandbox",
    label="Sandbox ATS",
    streams=tuple(_stream(name) for name in SYNC_ORDER),
    capabilities=Capabilities(models=frozenset(MODELS), filters={}, actions=frozenset(ACTIONS)),
    open=open_source,
    deletion_feed=True,
    download=download,
    actions=ACTIONS,
    connect=CONNECT,
)

__all__ = ["CONNECTOR", "SandboxSource", "attachment_content", "download", "open_source", "sandbox", "sandbox_for"]
