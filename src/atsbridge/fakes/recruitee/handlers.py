"""The fake's endpoints under ``/c/{company_id}``: listings wrapped in their root key (with ``references`` for
candidates), ``limit``/``offset`` paging (everything when neither is given), and the writes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import default
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.recruitee import generate as g
from atsbridge.fakes.recruitee.state import FakeState

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState, Any], Response]
_SCOPES: dict[str, Callable[[Raw], bool]] = {
    "not_archived": lambda o: o["status"] != "archived",
    "archived": lambda o: o["status"] == "archived",
    "active": lambda o: o["status"] in ("published", "internal"),
    "published": lambda o: o["status"] == "published",
    "draft": lambda o: o["status"] == "draft",
}


def served(value: Any, base: str) -> Any:
    """A deep copy with relative ``/files/...`` URLs made absolute (signed storage URLs in real life)."""
    if isinstance(value, dict):
        return {k: served(v, base) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [served(v, base) for v in value]
    if isinstance(value, str) and value.startswith("/files/"):
        return base + value
    return copy.deepcopy(value)


def answer(request: Request, body: Raw, status: int = 200) -> JSONResponse:
    return JSONResponse(served(body, str(request.base_url).rstrip("/")), status_code=status)


def _int(value: object, what: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise VendorError(404, f"{what} not found") from None


def _window(request: Request, fake: FakeState, rows: list[Any]) -> list[Any]:
    """``limit``/``offset``; without both, everything (as the docs say of ``/candidates``)."""
    q = request.query_params
    if "limit" not in q and "offset" not in q:
        return rows
    limit, offset = _int(q.get("limit", "100"), "limit"), _int(q.get("offset", "0"), "offset")
    if not 1 <= limit <= 1000 or offset < 0:
        raise VendorError(400, "limit must be between 1 and 1000")
    return rows[offset : offset + min(limit, fake.page_cap or limit)]


# ---------------------------------------------------------------------------------------------- reads


def list_admins(request: Request, fake: FakeState, _body: Any) -> Response:
    return answer(request, {"admins": fake.admins})


def list_reasons(request: Request, fake: FakeState, _body: Any) -> Response:
    return answer(request, {"disqualify_reasons": fake.reasons})


def list_offers(request: Request, fake: FakeState, _body: Any) -> Response:
    """The default scope leaves archived offers out; the list carries no pipeline."""
    scope = _SCOPES.get(request.query_params.get("scope", "not_archived"))
    if scope is None:
        raise VendorError(400, "unknown scope")
    offers = [g.public_offer(o, detail=False) for o in sorted(fake.offers.values(), key=lambda o: o["id"]) if scope(o)]
    return answer(request, {"offers": _window(request, fake, offers)})


def get_offer(request: Request, fake: FakeState, _body: Any) -> Response:
    offer = fake.offers.get(_int(request.path_params["id"], "offer"))
    if offer is None:
        raise VendorError(404, "offer not found")
    return answer(request, {"offer": g.public_offer(offer, detail=True)})


def _candidate_matches(request: Request, cand: Raw) -> bool:
    q = request.query_params
    query = (q.get("query") or "").lower()
    if query and query not in cand["name"].lower() and not any(query in e.lower() for e in cand["emails"]):
        return False
    after = q.get("created_after")
    if after and parse_ts(cand["created_at"]) < parse_ts(after):
        return False
    offer = q.get("offer_id")
    return not offer or any(str(p["offer_id"]) == offer for p in cand["placements"])


def list_candidates(request: Request, fake: FakeState, _body: Any) -> Response:
    """Newest first (``sort=by_date``), list view only; ``references`` name the page's offers, stages, admins."""
    found = [c for c in fake.candidates.values() if _candidate_matches(request, c)]
    found.sort(key=lambda c: (c["created_at"], c["id"]), reverse=True)
    page = _window(request, fake, found)
    body = {"candidates": [g.list_view(c) for c in page], "generated_at": fake.now(),
            "references": fake.references(page)}  # fmt: skip
    return answer(request, body)


def _candidate(fake: FakeState, request: Request) -> Raw:
    cand = fake.candidates.get(_int(request.path_params["id"], "candidate"))
    if cand is None:
        raise VendorError(404, "candidate not found")
    return cand


def get_candidate(request: Request, fake: FakeState, _body: Any) -> Response:
    cand = _candidate(fake, request)
    return answer(request, {"candidate": cand, "references": fake.references([cand])})


def list_notes(request: Request, fake: FakeState, _body: Any) -> Response:
    return answer(request, {"notes": fake.notes.get(_candidate(fake, request)["id"], [])})


def list_attachments(request: Request, fake: FakeState, _body: Any) -> Response:
    return answer(request, {"attachments": fake.attachments.get(_candidate(fake, request)["id"], [])})


def download(request: Request, fake: FakeState, _body: Any) -> Response:
    kind, id_ = request.path_params["kind"], request.path_params["id"]
    content = fake.files.get(f"{kind}/{id_}")
    if content is None and kind == "cv" and id_.isdigit() and int(id_) in fake.candidates:
        content = f"%PDF-1.4\n% fake Recruitee CV {id_}\n".encode()
    if content is None and kind == "attachment":
        content = f"%PDF-1.4\n% fake Recruitee file {id_}\n".encode()
    if content is None:
        return Response(b"<Error><Code>NoSuchKey</Code></Error>", status_code=404, media_type="application/xml")
    return Response(content, media_type="application/pdf")


# --------------------------------------------------------------------------------------------- writes


def _required(body: Any, key: str) -> Any:
    if not isinstance(body, dict) or body.get(key) in (None, "", []):
        raise VendorError(422, f"{key} can't be blank")
    return body[key]


def create_candidate(request: Request, fake: FakeState, body: Any) -> Response:
    """``{"candidate": {...}, "offers": [ids]}``: the candidate, placed on each offer's ``apply`` stage. The answer
    has the detail's shape (the recorded create responses carry exactly the detail's keys)."""
    data = _required(body, "candidate")
    if not isinstance(data, dict) or not (data.get("name") or data.get("first_name")):
        raise VendorError(422, "name can't be blank")
    offers = [fake.offers.get(_int(o, "offer")) for o in body.get("offers") or []]
    if any(o is None for o in offers):
        raise VendorError(422, "offer not found")
    now = fake.now()
    cand = g.make_candidate(fake.ids, len(fake.candidates), parse_ts(now), None)
    name = data.get("name") or f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
    cand.update(
        {
            "name": name,
            "emails": list(data.get("emails") or []),
            "phones": list(data.get("phones") or []),
            "source": "manual",
            "sources": [],
            "referrer": None,
            "tags": [],
            "cv_url": None,
            "cv_original_url": None,
            "social_links": list(data.get("social_links") or []),
            "cover_letter": data.get("cover_letter"),
            "fields": [f for f in cand["fields"] if not f.get("name")],
        }
    )
    for offer in offers:
        assert offer is not None
        apply = next(s for s in fake.stages_of(offer["id"]) if s["category"] == "apply")
        cand["placements"].append(g.make_placement(fake.ids, cand, offer, apply, parse_ts(now)))
    fake.candidates[cand["id"]] = cand
    return answer(request, {"candidate": cand, "references": fake.references([cand])}, 201)


def create_placement(request: Request, fake: FakeState, body: Any) -> Response:
    cand = fake.candidates.get(_int(_required(body, "candidate_id"), "candidate"))
    offer = fake.offers.get(_int(_required(body, "offer_id"), "offer"))
    if cand is None or offer is None:
        raise VendorError(404, "candidate or offer not found")
    if any(p["offer_id"] == offer["id"] for p in cand["placements"]):
        raise VendorError(422, "candidate is already assigned to this offer")
    first = fake.stages_of(offer["id"])[0]
    placement = g.make_placement(fake.ids, cand, offer, first, parse_ts(fake.now()))
    cand["placements"].append(placement)
    return answer(request, {"placement": placement}, 201)


def change_stage(request: Request, fake: FakeState, body: Any) -> Response:
    placement_id = _int(request.path_params["id"], "placement")
    stage_id = _int(_required(body, "stage_id"), "stage")
    try:
        placement = fake.move_stage(placement_id, stage_id)
    except KeyError as exc:
        raise VendorError(404, str(exc)) from None
    except ValueError as exc:
        raise VendorError(422, str(exc)) from None
    return answer(request, {"placement": placement})


def disqualify(request: Request, fake: FakeState, body: Any) -> Response:
    reason = _int(_required(body, "disqualify_reason_id"), "disqualify reason")
    if not any(r["id"] == reason for r in fake.reasons):
        raise VendorError(422, "disqualify reason not found")
    try:
        placement = fake.disqualify(_int(request.path_params["id"], "placement"), reason)
    except KeyError as exc:
        raise VendorError(404, str(exc)) from None
    return answer(request, {"placement": placement})


def create_note(request: Request, fake: FakeState, body: Any) -> Response:
    note = _required(body, "note")
    text = note.get("body") if isinstance(note, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise VendorError(422, "body can't be blank")
    created = fake.add_note(_candidate(fake, request)["id"], text)
    if isinstance(note, dict) and note.get("visibility") is not None:
        created["visibility"] = note["visibility"]
    return answer(request, {"note": created}, 201)


def parse_multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes, str]]:
    """``multipart/form-data`` parts by name: (file name, bytes, content type)."""
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    parts: dict[str, tuple[str | None, bytes, str]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            parts[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"", part.get_content_type())
    return parts


def create_attachment(request: Request, fake: FakeState, body: Any) -> Response:
    """Multipart: ``attachment[file]`` and ``attachment[candidate_id]``."""
    parts = body if isinstance(body, dict) else {}
    file, owner = parts.get("attachment[file]"), parts.get("attachment[candidate_id]")
    if file is None or owner is None or not file[1]:
        raise VendorError(422, "attachment[file] and attachment[candidate_id] are required")
    candidate_id = _int(owner[1].decode(), "candidate")
    if candidate_id not in fake.candidates:
        raise VendorError(404, "candidate not found")
    row = fake.add_attachment(candidate_id, file[0] or "file", file[1], file[2])
    return answer(request, {"attachment": row}, 201)


def bulk_tags(request: Request, fake: FakeState, body: Any) -> Response:
    """``PATCH`` adds ``tags`` to ``candidates``; ``DELETE`` removes them."""
    ids = [_int(c, "candidate") for c in _required(body, "candidates")]
    tags = [str(t) for t in _required(body, "tags")]
    if any(c not in fake.candidates for c in ids):
        raise VendorError(404, "candidate not found")
    for cid in ids:
        current = fake.candidates[cid]["tags"]
        wanted = [t for t in current if t not in tags] if request.method == "DELETE" else [*current, *tags]
        fake.set_tags(cid, wanted)
    return answer(request, {})
