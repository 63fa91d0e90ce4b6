"""Welcome to the Jungle (WTTJ Solutions ATS, formerly Welcome Kit): the external API
``https://www.welcomekit.co/api/v1/external`` [doc: ``WTTJ/wk-api-docs``, the official docs' source].

What the API imposes, and where it is encoded:

* Auth: a Bearer token that WTTJ issues on request (no OAuth flow, no refresh), scoped (``jobs_r``,
  ``candidates_r|rw``, ``comments_w``...). A ``my_candidates_*`` token silently sees only the candidates it
  created. The tenant is the **organization reference** (``Pg4eV6k``; several, comma-separated, when one token
  serves several organizations): a Connect field, sent as ``organization_reference`` (``api.py``).
* Paging: ``page``/``per_page`` (100), bare arrays, the page count in ``X-Total-Pages`` (``api.TotalPages``).
* Rate limits: none published and no headers seen [3p]: paced at 5 requests/s, 429 backed off.
* Model: a WTTJ *candidate* is one application to one job (one record per job), so it yields a unified
  candidate and an application with the same remote id. Stages are per job (numeric ids), read with
  ``GET /jobs/:reference?stages=true`` (one call per job per run).
* Incremental: candidates can only be listed per job (``job_reference`` required), with ``updated_after`` by
  **date**; a delta lists every job (cheap) and each job's candidates changed since the day before the last
  run. Deletions: no feed; jobs are archived, not deleted; deleted candidates are found by full syncs.
* Outcome: ``stage.reference`` ``refused``/``archived`` -> DECLINED, ``hired`` -> HIRED (the docs name
  ``hired`` only in prose: unverified); every other stage is customer-named, so the integration's
  ``status_map`` (stage name or id) decides, else PENDING; an archived candidate in a PENDING stage is DECLINED.
* Unavailable (the API has no endpoint): users (only the token's own user, ``/users/current``), interviews,
  offers, scorecards, rejection reasons (a single ``refused`` stage stands for them), reading notes (comments
  are write-only), file uploads (WTTJ only imports files from public URLs). Attachments are the candidate's
  ``resume_url``/``portfolio_url`` (free with the listing); other documents (``GET /documents``, one call per
  candidate) and e-mails are not read yet, and job writes (``POST/PUT /jobs``) have no unified action.
* No webhooks.
"""

from __future__ import annotations

import mimetypes
import re

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.welcometothejungle import mappers as m
from atsbridge.connectors.welcometothejungle.actions import ACTIONS
from atsbridge.connectors.welcometothejungle.api import API, candidate
from atsbridge.connectors.welcometothejungle.streams import STREAMS

_FILE_ID = re.compile(r"^([\w.-]{1,100}):(resume|portfolio)$")


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``<reference>:resume|portfolio``: read the candidate for a fresh file URL, then fetch it **without** our
    token (the URL is WTTJ's storage; the token is for the API only)."""
    found = _FILE_ID.match(remote_id)
    if found is None:
        return None
    ref, kind = found.groups()
    source = kit.KitSource(API, API.client(info), info.config, info=info)
    try:
        row = await candidate(source, ref)
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    finally:
        await source.aclose()
    url = row.get(f"{kind}_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    file = await kit.fetch_signed(url, gone=(403, 404, 410))
    if file is None:
        return None
    kind_type = file.headers.get("content-type", "").split(";")[0].strip() or "application/octet-stream"
    return file.content, f"{kind}{mimetypes.guess_extension(kind_type) or ''}", kind_type


_NO_UPLOADS = "WTTJ imports files only from public URLs (remote_file_urls); it takes no uploads"

CONNECTOR = kit.declare(
    tool="welcometothejungle",
    label="Welcome to the Jungle",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    probe=kit.Probe(
        "/users/current",
        refused="this API token",
        forbidden="Welcome to the Jungle accepted the token but denied access (403): ask WTTJ for the me_r, "
        "jobs_r and candidates_rw scopes",
    ),
    connect=kit.ConnectForm(
        instructions="Ask Welcome to the Jungle for an API token (help form) with the jobs_r, candidates_rw and "
        "comments_w scopes, and give your organization reference (the code in your dashboard's URL, "
        "/dashboard/o/<reference>).",
        guide_url="https://developers.welcomekit.co",
        extra=(
            FormField("organization_reference", "Organization reference", target="config",
                      help="e.g. Pg4eV6k; several separated by commas."),
        ),  # fmt: skip
    ),
    download=_download,
    unavailable={
        "users": "only the token's own user can be read (GET /users/current)",
        "interviews": "the API has no interviews",
        "offers": "the API has no offers",
        "notes": "comments are write-only (scope comments_w): they cannot be read",
        "add_application_attachment": _NO_UPLOADS,
        "add_candidate_attachment": _NO_UPLOADS,
    },
)
