"""Serve a vendor fake in its own process for the sync benchmark (so it does not share the engine's GIL),
with a ``POST /_bench/mutate`` hook that changes a fraction of the data like a busy recruiting team."""

from __future__ import annotations

import argparse
import importlib
import random

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--rate-limit", default="none", help="N/SECONDS (e.g. 50/10), 'none', or 'vendor' (the fake's default)"
    )
    parser.add_argument("--page-cap", type=int, default=None)
    args = parser.parse_args()
    module = importlib.import_module(f"atsbridge.fakes.{args.tool}")
    if args.rate_limit == "vendor":  # the vendor's documented limit, as each fake models it by default
        app = module.create_app(seed=1, records=args.records)
    else:
        limit = None
        if args.rate_limit != "none":
            n, seconds = args.rate_limit.split("/")
            limit = (int(n), float(seconds))
        app = module.create_app(seed=1, records=args.records, rate_limit=limit)
    fake = app.state.fake
    if args.page_cap:
        fake.page_cap = args.page_cap

    async def mutate(request: Request) -> JSONResponse:
        """Edit a fraction of candidates and move a fraction of applications (greenhouse fake)."""
        fraction = float(request.query_params.get("fraction", "0.01"))
        rng = random.Random(7)
        candidates = fake.ids("candidates")
        applications = fake.ids("applications")
        edited = rng.sample(candidates, max(1, int(len(candidates) * fraction / 2)))
        for cid in edited:
            fake.edit_candidate(cid, title="Principal Engineer")
        by_job: dict[int, list[int]] = {}
        for sid in fake.ids("job_interview_stages"):
            by_job.setdefault(fake.get("job_interview_stages", sid)["job_id"], []).append(sid)
        moved = 0
        for aid in rng.sample(applications, max(1, int(len(applications) * fraction / 2))):
            jobs = fake.get("applications", aid).get("jobs") or []
            choices = by_job.get(jobs[0]["id"], []) if jobs else []
            if choices:
                fake.move_application(aid, rng.choice(choices))
                moved += 1
        return JSONResponse({"candidates": len(edited), "applications": moved})

    app.add_route("/_bench/mutate", mutate, methods=["POST"])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
