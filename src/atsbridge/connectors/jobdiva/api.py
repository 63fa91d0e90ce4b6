"""JobDiva's API v2, declared once: a GET login answered with a bare token, BI "report" endpoints that list
records changed in a ``fromDate``/``toDate`` window (``MM/dd/yyyy HH:mm:ss``), one unpaged answer each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from atsbridge.connectors import kit

BASE_URL = "https://api.jobdiva.com"
BI = "/apiv2/bi"
WRITE = "/apiv2/jobdiva"
#: The BI feeds compare the window with the account's local wall clock (US Eastern for most accounts [3p]);
#: a delta window starts this much earlier, so no US time zone (UTC-4 to UTC-10) can make it start late.
#: Rows read again hash the same and change nothing.
OVERLAP = timedelta(hours=12)


def bi_time(ts: datetime) -> str:
    """``MM/dd/yyyy HH:mm:ss`` (JobDiva's query format, not ISO), UTC wall clock."""
    return ts.astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S")


def since_time(ts: datetime) -> str:
    return bi_time(ts - OVERLAP)


#: Every BI listing's required window: everything from 2000 to tomorrow; a delta moves ``fromDate`` up.
WINDOW = kit.DateWindow("fromDate", "toDate", bi_time)
SINCE = kit.Since("fromDate", since_time)

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.QueryLogin(
        "/apiv2/authenticate",
        {
            "clientid": kit.Text("client_id", "Client ID", help="JobDiva support gives it (a number)."),
            "username": kit.Text(
                "username",
                "API user name",
                help="Settings > My Team: a user with 'Only allow access to JobDiva API Calls'.",
            ),
            "password": kit.Secret("password", "API user password"),
        },  # fmt: skip
        # a refused login answers 500 with the exception's text [3p: the public copy of the API's source]
        refused_when=("INVALID_CREDENTIALS", "USER_DISABLED"),
    ),
    pager=kit.Single(),
    records_path="data",
    # no published limit; BI reports are slow (tens of seconds for a week of activity [3p]): a gentle pace
    rate=kit.RatePolicy(2, 1.0, concurrency=2),
    timeout_seconds=180.0,
    errors=kit.ErrorShape(invalid_token=("INVALID_CREDENTIALS", "Token is invalid")),
    headers=(("Accept", "application/json"),),
    passthrough="api",
)
