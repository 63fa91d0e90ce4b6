"""TalentLink's streams as data. Candidates and applications are filtered by ``where: {update_ge: <ms>}`` in a
delta [conn]; adverts are few and their filter names are not documented, so they are listed in full. No
deletion feed exists (deletions show only as ``partiallyDeleted``/``anonymous`` flags): complete full
listings find deletions."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.cornerstonetalentlink import mappers as m
from atsbridge.connectors.cornerstonetalentlink.api import ADVERTS, APPLICATIONS, CANDIDATES

#: ``update_ge`` is a candidate filter [conn]; the same name on applications is by analogy [unverified].
UPDATED = kit.Since("update_ge", kit.epoch_ms)

STREAMS = (
    kit.stream("published_adverts", "jobs", m.map_advert,
               kit.Listed("/publishedadvert", pager=ADVERTS, records_path=ADVERTS.records_path)),
    kit.stream("candidates", ("candidates", "tags", "attachments"), m.map_candidate,
               kit.Listed("/candidate", since=UPDATED, pager=CANDIDATES, records_path=CANDIDATES.records_path)),
    kit.stream("applications", ("applications", "application_stages"), m.map_application,
               kit.Listed("/application", since=UPDATED, pager=APPLICATIONS, records_path=APPLICATIONS.records_path)),
)  # fmt: skip
DELETIONS: tuple[kit.DeletionFeed, ...] = ()
