"""Vendor sync tokens (Ashby) are kept by the engine between runs, only after their stream committed."""

from __future__ import annotations

from sqlalchemy import Engine, select

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes.ashby import conformance_setup, create_app
from atsbridge.store import platform
from atsbridge.store.tables import sync_state
from atsbridge.testing import serve_asgi
from tests.conftest import sync_now


def test_ashby_delta_uses_the_stored_sync_tokens(engine: Engine, settings: Settings, environment: str) -> None:
    app = create_app(seed=4, records=40, rate_limit=None)
    fake = app.state.fake
    with serve_asgi(app) as url:
        config, credentials = conformance_setup(url)
        iid = create_integration(
            engine, settings, environment, "ashby", "Tokens", config={**config, "sync_all_applications": True},
            credentials=credentials,
        )  # fmt: skip
        try:
            full = sync_now(engine, settings, iid, full=True)
            with engine.connect() as conn:
                tokens = dict(
                    conn.execute(
                        select(sync_state.c.stream, sync_state.c.resume).where(sync_state.c.integration_id == iid)
                    ).all()
                )
            assert tokens.get("candidates"), tokens
            cand_id = next(iter(fake.candidates))
            fake.edit_candidate(cand_id, name="Renamed Person")
            delta = sync_now(engine, settings, iid, full=False)
            listed = delta.models["candidates"]
            # Only what changed since the token came back, not the whole candidate list again.
            assert listed.updated == 1
            assert listed.unchanged < full.models["candidates"].created
        finally:
            with engine.begin() as conn:
                conn.execute(
                    platform.integrations.update().where(platform.integrations.c.id == iid).values(enabled=False)
                )
