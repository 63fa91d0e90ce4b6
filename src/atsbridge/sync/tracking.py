"""Application tracking: by default an integration syncs only the applications atsbridge created or was
asked to import (and their candidates, interviews, offers, notes, scorecards and files), like Kombo.

A customer's ATS holds every applicant of every channel; a job board or assessment vendor has no business
reading those. ``config.sync_all_applications`` turns this off per integration (the sandbox defaults to on).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select, update

from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import tracked_applications


def syncs_all(tool: str, config: dict[str, object]) -> bool:
    value = config.get("sync_all_applications")
    return bool(value) if value is not None else tool == "sandbox"


class Tracking:
    """Decides per mapped record whether it belongs to the tracked set."""

    def __init__(self, conn: Connection, integration_id: str):
        self.integration_id = integration_id
        rows = conn.execute(
            select(tracked_applications.c.application_id, tracked_applications.c.candidate_id).where(
                tracked_applications.c.integration_id == integration_id
            )
        ).all()
        self.applications = {r.application_id for r in rows}
        self.candidates = {r.candidate_id for r in rows if r.candidate_id}
        self._learned: dict[str, str] = {}

    def keep(self, rec: UnifiedRecord) -> bool:
        fields = rec.fields
        if rec.model == "applications":
            if rec.id not in self.applications:
                return False
            candidate = fields.get("candidate_id")
            if candidate and candidate not in self.candidates:
                self.candidates.add(candidate)
                self._learned[rec.id] = candidate
            return True
        if rec.model == "candidates":
            return rec.id in self.candidates
        if rec.model in ("interviews", "offers"):
            return fields.get("application_id") in self.applications
        if rec.model in ("notes", "scorecards", "attachments"):
            return fields.get("application_id") in self.applications or fields.get("candidate_id") in self.candidates
        return True

    @property
    def learned_candidates(self) -> bool:
        return bool(self._learned)

    def save(self, engine: Engine) -> None:
        """Remember candidates learned from tracked applications (an imported application names them)."""
        if not self._learned:
            return
        with engine.begin() as conn:
            for application_id, candidate_id in self._learned.items():
                conn.execute(
                    update(tracked_applications)
                    .where(
                        tracked_applications.c.integration_id == self.integration_id,
                        tracked_applications.c.application_id == application_id,
                    )
                    .values(candidate_id=candidate_id)
                )
        self._learned.clear()
