"""Recruitee (Tellent): ``https://api.recruitee.com/c/{company_id}`` with a personal API token as a Bearer token.

What the API imposes, and where it is encoded:

* The company is part of every path: ``config.company_id`` (the numeric id or the subdomain; never the full
  hostname, which Recruitee refuses with "Company id is invalid"). ``config.base_url`` replaces the host only.
* Responses wrap objects in a root key (``candidates``, ``offer``...) plus ``references`` (Offer, Stage, Admin by
  ``type``): the mappers read stage categories and offer kinds from there.
* Paging: ``limit``/``offset`` until an empty page (without them ``/candidates`` returns everything, slowly).
* No ``updated_after`` filter anywhere: every run lists all candidates and compares each candidate's and each
  placement's ``updated_at`` (see ``streams``). Hence ``incremental=True`` reads whose delta is computed here.
* No public rate limit (about 100 requests/min reported for trial companies): we pace at
  ``api.REQUESTS_PER_MINUTE`` (``config.requests_per_minute`` overrides) and back off on 429.
* ``config.timeout_seconds`` (default 30) bounds each request.
* Deletions: no tombstones in the API (webhooks only), so ``deletion_feed=False``; the engine finds
  deletions by id-diff after a complete full sync.

Modelling choices (details in ``mappers``):

* Applications are *placements* (candidate x offer), embedded in the candidate; placements in talent pools
  are not applications. Jobs are offers of kind ``job``; every offer has its own pipeline copy, so stages carry
  their ``job_id``. Outcome: HIRED on ``hired_at`` or a ``hire``-category stage, DECLINED when disqualified
  (reason text from ``disqualify_reason``), else PENDING.
* Users are admins (no roles exposed); roles are the two job roles offers name (recruiter, hiring manager).
* Tags are the strings in candidates' ``tags``; notes and files hang on the candidate (``application_id`` None);
  attachments are the CV (``cv_original_url``) plus ``/candidates/{id}/attachments``.
* Not synced: interviews and evaluations (``/interview/*`` is known only from third-party clients) and
  screening questions/answers (open question templates are undocumented).

Webhooks (``webhooks.py``): added by hand in Recruitee's settings (no documented API creates them);
``X-Recruitee-Signature`` (hex HMAC-SHA256 of the raw body), the event's ``id`` as delivery id; candidate and
offer events queue a delta of the streams they touch.

Known limits: whether notes, tags and files move a candidate's ``updated_at`` is not verifiable from the
recordings; if they do not, such a change waits for the candidate's next change or the next full sync. A full
sync costs one request per candidate (the detail), plus its notes and files when it has any.
"""

from __future__ import annotations

from dataclasses import replace

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, PassthroughApi
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee.actions import ACTIONS
from atsbridge.connectors.recruitee.api import API, COMPANY_FIELD, children, detail
from atsbridge.connectors.recruitee.streams import STREAMS, RecruiteeSource
from atsbridge.connectors.recruitee.webhooks import WEBHOOKS


async def _file_url(source: kit.KitSource, remote_id: str) -> tuple[str, str] | None:
    kind, _, rest = remote_id.partition("-")
    if kind == "cv":
        found = await detail(source, rest)
        url = (found or {}).get("cv_original_url") or (found or {}).get("cv_url")
        return (str(url), m.cv_file_name(url)) if url else None
    candidate_id, _, file_id = rest.partition("-")
    for row in await children(source, candidate_id, "attachments"):
        if str(row.get("id")) == file_id and row.get("url"):
            return str(row["url"]), str(row.get("filename") or file_id)
    return None


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Not a ``kit.Download``: the file is behind a signed storage URL found on the candidate or its file
    list, fetched without our token (a second credential would be refused)."""
    if not remote_id.replace("-", "").isalnum() or remote_id.split("-")[0] not in ("cv", "file"):
        return None
    source = RecruiteeSource(API.client(info), info.config)
    try:
        found = await _file_url(source, remote_id)
    finally:
        await source.aclose()
    if found is None:
        return None
    url, name = found
    file = await kit.fetch_signed(url)
    if file is None:
        return None
    kind = file.headers.get("content-type", "").split(";")[0] or kit.guess_content_type(name)
    return file.content, name, kind


_DECLARED = kit.declare(
    tool="recruitee",
    label="Recruitee",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    # Only models whose data lacks some filters: notes and files name no application; offers give every job
    # filter but a job code.
    filters={
        "attachments": frozenset({"candidate_ids"}),
        "jobs": frozenset(
            {"employment_types", "name_contains", "post_url", "remote_created_after", "statuses", "visibilities"}
        ),
        "notes": frozenset({"candidate_ids"}),
    },
    probe=kit.Probe(
        "/admins",
        refused="this API token for this company id",
        forbidden="Recruitee accepted the token but denied access to this company id (403)",
        not_found="No such Recruitee company: check the company id",
    ),
    connect=kit.ConnectForm(
        instructions="Create a personal API token in Recruitee and enter it with your company id.",
        guide_url="https://docs.recruitee.com/reference/getting-started",
        extra=(COMPANY_FIELD,),
    ),
    download=_download,
    webhooks=WEBHOOKS,
)
#: Passthrough answers under ``v1`` (the kit's) and ``default`` too, as it did before the kit.
CONNECTOR = replace(_DECLARED, passthrough=(*_DECLARED.passthrough, PassthroughApi("default", API.client)))
