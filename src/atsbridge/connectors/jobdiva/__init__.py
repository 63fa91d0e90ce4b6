"""JobDiva (staffing ATS): API v2 at ``https://api.jobdiva.com``, reads from the BI "report" endpoints.

No JobDiva payload was ever recorded and the vendor's Swagger (``api.jobdiva.com/jobdiva-api.html``) is not in
our sources. What is encoded rests on: Nango's provider (the login) [conn], the public copy of JobDiva's API
server source (``omarkamoun1/SpringRestAPI``: endpoint names, parameters, the BI answer ``{"message",
"data": [{COLUMN: "text"}]}``, the ``{"apierror": {...}}`` error body) [3p], and public clients' column names
[3p]. Every column name the mappers read is unverified; see ``mappers.py``.

* **Auth**: ``GET /apiv2/authenticate?clientid=&username=&password=`` answers the token as the bare body
  (no JSON); it is sent as ``Authorization: Bearer``; a 401 logs in again once (the token lives 24 h [3p]).
  A refused login answers HTTP 500 with ``INVALID_CREDENTIALS`` in the body [3p]: taken as bad credentials
  (``kit.QueryLogin``). Connect form: client ID (from JobDiva support), API user name and password.
* **Paging**: none. A BI report answers one window in one body (``kit.Single``); nothing is truncated.
* **Incremental**: every BI listing requires ``fromDate`` and ``toDate`` (``MM/dd/yyyy HH:mm:ss``, the
  account's wall clock): a full sync asks from 2000 to tomorrow (``kit.DateWindow``), a delta from the last
  sync minus 12 h (``api.OVERLAP``: the account's time zone is unknown; rows read twice hash the same).
  Gap: one very wide window can fail on a large tenant ("Not an array" 500s reported by a client [3p]);
  the window is not split.
* **Deletions**: ``DeletedJobRecords``, ``DeletedCandidateRecords``, ``DeletedActivityRecords`` and
  ``DeletedCandidateNoteRecords`` list deletions in the same window (their columns are a guess [gap]; a
  feed the account lacks is skipped and the full sync still finds them). Merged records (``MergedCandidates``)
  show as deletions of the merged-away id on the next full sync.
* **Models**: jobs (``NewUpdatedJobRecords``), candidates (``NewUpdatedCandidateRecords``), applications =
  activities (``NewUpdatedActivityRecords``: one candidate submitted/applied to one job; a start is a hire),
  candidate notes (``NewUpdatedCandidateNoteRecords``), users (``UsersList``, no window).
* **Outcome**: activity statuses are each agency's free text: ``mappers.OUTCOMES`` covers the flags (HIREFLAG
  -> HIRED, a reject date -> DECLINED) and usual names; the integration's ``status_map`` wins.
* **Rate limits**: none published and no headers; 2 requests/s, 2 in flight (BI reports are slow [3p]).
* **Not served**: application stages (JobDiva has statuses, not per-job pipelines), interviews and offers
  (only flags on the activity), scorecards, tags (hotlists are lists, not labels), attachments (the BI
  attachment reports' shapes are unknown [gap]), rejection reasons.
* **Writes** (``actions.py``): ``add_application_note`` (``createCandidateNote``) and ``create_application``
  / ``create_candidate`` (the profile by email or ``createCandidate``, then ``createJobApplication``), each
  create-once with a report lookup as its ``find``. Not declared, with the reason: stage moves and
  rejections (no pipeline stages; ``updateSubmittal`` takes status ids whose lists are not documented), tags
  (hotlists), attachments (``uploadCandidateAttachment`` takes base64 in JSON and answers an id that no
  read we serve lists [3p]).
* **Webhooks** (``webhooks.py``): registered by hand in JobDiva, ``X-Hub-Signature: sha1=<hex HMAC-SHA1>``
  [conn]; job, candidate and activity events queue a delta of the streams they touch.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.jobdiva import mappers as m
from atsbridge.connectors.jobdiva.actions import ACTIONS
from atsbridge.connectors.jobdiva.api import API, BI
from atsbridge.connectors.jobdiva.streams import DELETIONS, STREAMS
from atsbridge.connectors.jobdiva.webhooks import WEBHOOKS

CONNECTOR = kit.declare(
    tool="jobdiva",
    label="JobDiva",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    webhooks=WEBHOOKS,
    probe=kit.Probe(
        f"{BI}/UsersList",
        refused="this client ID, user name and password",
        forbidden="JobDiva accepted the login but denied access (403): allow the user's API calls",
        refused_when=("INVALID_CREDENTIALS",),
    ),
    connect=kit.ConnectForm(
        instructions="Ask JobDiva support for your client ID, then create an API user under Settings > My Team "
        "with 'Only allow access to JobDiva API Calls'.",
        guide_url="https://nango.dev/docs/integrations/all/jobdiva/connect",
    ),
)
