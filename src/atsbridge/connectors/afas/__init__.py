"""AFAS Profit (recruitment, "Werving en selectie"): customer-built GetConnectors for reads, UpdateConnectors
for writes (reference §4; OpenAPI "AFAS Werving en selectie API" 6.6.9 [doc]).

What the API imposes, and where it is encoded:

* Auth: an App Connector token, sent as ``Authorization: AfasToken <base64 of the XML token>`` (``api.AfasToken``).
  Host: ``https://{environment_id}.{environment_type}.afas.online/ProfitRestServices`` (``rest``, ``resttest``,
  ``restaccept``). The credential check is ``GET /MetaInfo`` (the connectors the token may use).
* **Reads are the customer's GetConnectors**: AFAS ships no recruitment read endpoint; the customer builds one
  GetConnector each on the vacancy, applicant and application data collections and adds them to the App
  Connector. The Connect form asks for their names (defaults ``Recruitment_Vacancies``, ``..._Applicants``,
  ``..._Applications``, ours [gap]) and its help lists the field ids each must expose (``api.CONNECTORS``).
  The paths are therefore known only from the integration's config: the reads are ``kit.Custom``.
* Paging: ``skip``/``take`` (100) with ``orderbyfieldids`` on the row id for stable pages; the end is a short
  page; rows under ``rows`` [doc].
* Incremental (the cheapest correct one): each GetConnector carries ``ModifiedAt`` and a delta filters
  ``filterfieldids=ModifiedAt&filtervalues=<since>&operatortypes=2`` (>=) [doc]. **Times are Amsterdam local
  time marked ``Z``** [doc]: rows are converted to real UTC (``api.local_time``) and the filter is sent as
  Amsterdam wall time (``api.filter_time``; in the repeated autumn hour the earlier reading).
* Deletions: no feed is built (the "deleted data" GetConnector is documented by title only [doc, title only]),
  so a complete full sync finds them (the engine's deletion detection).
* Rate limits: fair use, no numbers; heavy GetConnectors get blocked by AFAS, maintenance answers 503 with
  ``Retry-After`` [doc]: a gentle default pace (5/s, 2 in flight), overridable per integration.
* Stages are AFAS's fixed last-action list (``ViAt`` 0-6); rejection reasons its rejecting actions (10, 11).
  Outcome: ``StSo`` 2 HIRED, 3 DECLINED, else ``ViAt`` 6 HIRED, 10/11 DECLINED [doc]; the integration's status map
  (by code or label) wins.
* Writes: ``HrCreateApplicant`` (create application / candidate, CV inline), ``PUT HrApplicant`` (move = ``ViAt``,
  reject = ``StSo`` 3 + ``ViAt`` 10/11), ``KnSubject`` dossier items (notes, result links as notes, files on
  the applicant or application). ``remote_fields.afas.Fields`` is merged into every write's ``Fields``. The
  ``KnSubjectLink`` fields (``ToAp``/``ApId``/``SfTp``/``SfId``) come from the reference's summary; the link type
  ``SfTp=4`` for an application and the dossier type ``StId`` are [gap] (tenant-specific).

Unavailable: users (no recruitment user GetConnector is documented), interviews, offers, scorecards (not objects
in AFAS [doc]), tags (none), attachments/notes as reads (dossier items need the customer's own subject
GetConnector and ``FileConnector``; not built).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.afas import mappers as m
from atsbridge.connectors.afas.actions import ACTIONS
from atsbridge.connectors.afas.api import API, CONNECTORS
from atsbridge.connectors.afas.streams import STREAMS
from atsbridge.connectors.base import FormField

FORM = (
    FormField("environment_id", "Environment number", target="config", placeholder="12345",
              help="The 5-digit number of your AFAS Online environment."),
    FormField("environment_type", "Environment", target="config", kind="select", default="rest",
              options=(("rest", "Production"), ("resttest", "Test"), ("restaccept", "Acceptance"))),
    *(FormField(key, f"GetConnector for {role}", target="config", required=False, default=default,
                help=f"The GetConnector you built for {role}; its fields: {', '.join(ids)}.")
      for role, (key, default, ids) in CONNECTORS.items()),
)  # fmt: skip

CONNECTOR = kit.declare(
    tool="afas",
    label="AFAS Profit",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses"})},
    unavailable={
        "users": "AFAS documents no GetConnector for recruiters",
        "interviews": "interviews are not objects in AFAS (only an invitation action)",
        "offers": "offers are not objects in AFAS",
        "scorecards": "AFAS has no scorecards",
        "tags": "AFAS has no tags",
        "add_candidate_tag": "AFAS has no tags",
        "remove_candidate_tag": "AFAS has no tags",
    },
    probe=kit.Probe("/MetaInfo", refused="this App connector token",
                    forbidden="AFAS refused the request (403): the environment restricts the calling IP address"),
    connect=kit.ConnectForm(
        instructions="In Profit, build the three recruitment GetConnectors, add them and HrCreateApplicant, "
        "HrApplicant and KnSubject to an App connector, and create a user token for it.",
        guide_url="https://docs.afas.help/profit/en/App-connector",
        extra=FORM,
    ),
)  # fmt: skip
