"""HRworks API v2, declared once: key-pair login to a JWT, ``page`` numbers with a ``Link`` header (50 a page),
and the asynchronous write jobs of the applicant-management endpoints."""

from __future__ import annotations

from atsbridge.connectors import kit

BASE_URL = "https://api.hrworks.de/v2"
AM = "/applicant-management"
POSTS = f"{AM}/posts"
APPLICANTS = f"{AM}/applicants"
APPLICATIONS = f"{AM}/job-applications"

API = kit.VendorApi(
    base_url=BASE_URL,
    # ``POST /v2/authentication {accessKey, secretAccessKey}`` -> ``{"token"}`` (a JWT), sent as Bearer; its
    # lifetime is not documented, so the session logs in again on the first 401 [conn]
    auth=kit.SessionLogin(
        "/authentication",
        {
            "accessKey": kit.Secret(
                "access_key",
                "Access key",
                help="HR WORKS > Administrator > Basics > Integrations > HR WORKS-API > New key pair.",
            ),
            "secretAccessKey": kit.Secret(
                "secret_access_key", "Secret access key", help="Shown once, next to the access key of the key pair."
            ),
        },
        token_path="token",
    ),  # fmt: skip
    # "The API returns paging information via the Link header. The page size for this API call is 50." [conn]
    pager=kit.LinkHeader(size_param=None, page_size=50, cursor_only=True),
    # no published limit: a modest pace, and the 429s the API may send are backed off like any other
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)

#: Every applicant-management write is a job: ``{"jobId"}``, then ``GET .../job-applications/jobs/{jobId}`` until
#: it is no longer ``pending`` (the file upload's job is read on the same endpoint [conn, unverified]).
JOB = kit.AsyncJob(status_path=f"{APPLICATIONS}/jobs/{{job_id}}")
