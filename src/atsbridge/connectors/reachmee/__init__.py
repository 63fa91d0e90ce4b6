"""ReachMee (Talentech; SE/NO): the documented parts of the public API v1 only, ``https://{site}.reachmee.com/api/public/v1``.

What the API imposes, and where it is encoded:

* Hosts: each customer lives on a numbered site host (``site106``, ``site201`` [conn]): the Connect form asks
  for it (``site``), the base URL is built from it.
* Two credentials [conn]: the admin API (``/users``, ``/roles``) takes HTTP Basic ``apiUserName:apiKey``
  (``api.API``); the public job feed (``/feed/{feed_id}?lang=&customer=&format=json&feed_key=``) takes only its
  ``feed_key`` query parameter (``streams.read_feed``; the key is never sent to the admin API).
* Reads: users (``/users``, pages with a ready-made ``next`` URL until null), roles (``/roles``, one array) and
  jobs from the job feed (one array of ads, folded into one job per ReachMee project, every ad a job posting;
  see ``mappers``). Org units (``/orgunits``) have no unified model: the job's department and employer come from
  the ad's ``organizations`` names instead.
* Incremental: no updated-since filter and no deletion feed anywhere [conn]: every sync lists everything (a few
  requests). A job leaves the feed when unpublished, and the engine marks it deleted after a complete listing;
  a deactivated user stays listed with ``Date_removed`` (status INACTIVE).
* Rate limit and error bodies: not published [gap]. Paced at 5 requests/s (adjustable per integration); 429 and
  5xx are retried by the client as usual.
* Unverified: the wire casing of the admin API's keys (client code declares ``User_name``; read
  case-insensitively), the maximum page size (50 used, as the client does), the feed's field types (the only
  listing is a test fixture written as a PHP array), and the status a wrong feed key gets (401 assumed).
* Unavailable: candidates, applications and everything hanging off them, and every write. unified.to and Kombo
  describe an OAuth2 "ATS object API" (``project``, ``candidate`` = candidate and application, listed per job
  only) [3p], but its paths, token URL and shapes are not public: nothing is guessed.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.reachmee.actions import ACTIONS
from atsbridge.connectors.reachmee.api import API, FORM
from atsbridge.connectors.reachmee.streams import STREAMS

_NO_ATS_API = ("ReachMee's ATS object API (candidates, applications and their pipeline) is not publicly "
               "documented: only the admin API (users, roles, org units) and the public job feed are")  # fmt: skip
_NO_WRITE = ("ReachMee documents no write for candidates or applications: its ATS object API's paths and bodies "
             "are not public (the documented writes manage admin users and org units only)")  # fmt: skip

CONNECTOR = kit.declare(
    tool="reachmee",
    label="ReachMee",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=None,
    probe=kit.Probe(
        "/users",
        {"page_size": 1, "page": 1},
        refused="this API user name and key",
        forbidden="ReachMee accepted the API user but denied access (403): ask Talentech to open the admin API to it",
        not_found="ReachMee answered 404: check the site host (site106 for https://site106.reachmee.com)",
    ),
    connect=kit.ConnectForm(
        instructions="Ask ReachMee (Talentech) support for an admin API user and key for your site, and copy "
        "the customer id, feed id and feed key from your job feed URL "
        "(https://siteNNN.reachmee.com/api/public/v1/feed/ID?lang=SE&customer=ID&feed_key=KEY).",
        guide_url=None,
        extra=FORM,
    ),
    unavailable={
        **dict.fromkeys(
            (
                "candidates",
                "applications",
                "application_stages",
                "interviews",
                "offers",
                "notes",
                "attachments",
                "tags",
                "rejection_reasons",
                "scorecards",
            ),
            _NO_ATS_API,
        ),
        **dict.fromkeys(
            (
                "create_application",
                "create_candidate",
                "move_application_to_stage",
                "reject_application",
                "add_application_note",
                "add_candidate_tag",
                "remove_candidate_tag",
                "add_application_attachment",
                "add_candidate_attachment",
                "add_application_result_link",
                "add_candidate_result_link",
                "import_tracked_application",
            ),
            _NO_WRITE,
        ),
    },  # fmt: skip
)
