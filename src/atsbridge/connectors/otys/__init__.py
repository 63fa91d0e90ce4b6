"""OTYS (NL, "OTYS Go!"): OTYS Web Services, JSON-RPC 2.0 at ``https://ows.otys.nl/jservice.php`` [conn].

Sources: OTYS' own "Jobs & Apply" WordPress plugin and a public client citing the OWS manual [conn]; Kombo's
passthrough (``otys/json-rpc``: the session injected as the first param) [conn]. No payload was ever recorded:
every shape is the one those clients read (see ``mappers``); unverified claims are marked there and below.

* Protocol: JSON-RPC 2.0 (``kit.jsonrpc``): errors come with **HTTP 200** and are classified by message
  ("please login again"/"login first" -> 401, "not found" -> 404...); ``loginByUid(API key)`` returns a session id
  sent as ``params[0]`` of every call, renewed once when a call is refused as logged out (the session lasts
  ~14 h [conn]). 350 requests/minute per key [conn]; lists cap at 200 rows per ``getListEx``.
* Model: vacancy = job, candidate, **procedure = application** (candidate x vacancy), users from
  ``UserService``; the three customer-defined status levels (``ProcedureStatus1|2|3Service``) are all stages,
  ids ``<level>_<uid>``; an application's current stage is its level-1 status.
* Incremental: a ``getListEx`` condition ``lastModified GE <last sync>`` [unverified field name; the documented
  example filters other date fields the same way]. Soft deletes: lists exclude ``isDeleted = 1`` (OTYS' plugin
  does) and the deletion feeds list ``isDeleted = 1`` changed since the last run.
* Outcome (``OUTCOMES``): statuses are tenant-defined at three levels [unverified]: the deepest level whose code
  the integration's ``status_map`` (codes or ``<level>_<uid>``) or the default Dutch/English names know decides;
  else PENDING.
* Writes: ``create_application`` (``CandidateService.add`` + ``ProcedureService.add``, create-once) and
  ``move_application_to_stage`` (``ProcedureService.update`` [unverified method]); see ``actions``.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.kit import jsonrpc
from atsbridge.connectors.otys.actions import ACTIONS
from atsbridge.connectors.otys.api import API, PATH, method
from atsbridge.connectors.otys.mappers import OUTCOMES
from atsbridge.connectors.otys.streams import DELETIONS, STREAMS

_NO_API = "no documented OTYS web service exposes it"
_STATUS = "OTYS has no rejection call or reasons: a rejection is a tenant-defined procedure status (move the stage)"

CONNECTOR = kit.declare(
    tool="otys",
    label="OTYS",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={},
    probe=kit.Probe(
        PATH,
        method="POST",
        json=jsonrpc.body(method("UserService", "getList")),
        refused="this API key",
        forbidden="OTYS accepted the API key but denied access (403): give the API user access to the web services",
    ),
    connect=kit.ConnectForm(
        instructions="In OTYS Go!, create an API user for web services (OWS) and copy its API key.",
        guide_url="https://ows.otys.nl/info/",
    ),
    unavailable={
        "offers": _NO_API,
        "scorecards": _NO_API,
        "interviews": _NO_API,
        "notes": _NO_API,
        "tags": _NO_API,
        "rejection_reasons": _STATUS,
        "reject_application": _STATUS,
        "add_application_note": "no documented OTYS web service writes notes",
        "add_candidate_tag": "no documented OTYS web service writes tags",
        "remove_candidate_tag": "no documented OTYS web service writes tags",
    },
)
