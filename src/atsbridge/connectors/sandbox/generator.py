"""The sandbox ATS: a seeded, deterministic generator of realistic ATS data in the sandbox vendor's format.

Every base record is a pure function of ``(seed, kind, index)``, so a 200,000-application sandbox is never
materialised and any record can be regenerated on demand. Links between kinds (application -> candidate,
interview -> application, ...) are arithmetic (:class:`Fanout`), so both directions cost O(1) without an
index. The only cached state is the job table (a few hundred jobs at most): pipelines, questions and
application routing depend on it.

Vendor format: camelCase keys, vendor status words (``published``, ``rejected``, ``approval_pending``),
ids like ``cand_12`` and epoch-millisecond timestamps in ``created_at``/``updated_at``. Timestamps are fixed
relative to :data:`EPOCH_MS`, never the wall clock, so generation is reproducible.
"""

from __future__ import annotations

import bisect
import math
import random
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any

import orjson

Record = dict[str, Any]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# ------------------------------------------------------------------------------------------ vocabulary
FIRST_NAMES = _split(
    "Olivia,Liam,Emma,Noah,Ava,Oliver,Sophia,Elijah,Isabella,Lucas,Mia,Mateo,Amelia,Levi,Harper,Ethan,Evelyn,"
    "Aiden,Chloé,Jonas,Léa,Lukas,Sofía,Diego,Aisha,Omar,Priya,Arjun,Mei,Wei,Yuki,Hiroshi,Fatima,Yusuf,Zoë,"
    "Nikolai,Ingrid,Sven,Amara,Kwame,Chiara,Marco,Ana,João,Emily,James,Charlotte,Henry,Grace,Samuel,Hannah,"
    "Daniel,Nora,Leo,Freya,Finn,Maja,Elias,Inès,Tomás"
)
LAST_NAMES = _split(
    "Smith,Johnson,Williams,Brown,Garcia,Miller,Davis,Rodriguez,Martínez,Hernández,Lopez,Wilson,Anderson,"
    "Taylor,Moore,Jackson,Martin,Lee,Thompson,White,Harris,Clark,Lewis,Walker,Müller,Schmidt,Schneider,"
    "Fischer,Weber,Dubois,Lefèvre,Rossi,Bianchi,Kowalski,Nowak,Novák,Jansen,de Vries,Bakker,Andersson,"
    "Johansson,Nielsen,Hansen,Kim,Park,Nguyen,Tran,Wang,Li,Chen,Patel,Sharma,Singh,Khan,Okafor,Mensah,Silva,"
    "Santos,O'Brien,Yamamoto"
)
COMPANIES = _split(
    "Northwind Traders,Contoso,Fabrikam,Tailspin Toys,Wide World Importers,Adventure Works,Litware,Proseware,"
    "Woodgrove Bank,Coho Winery,Lucerne Publishing,Fourth Coffee,Alpine Ski House,Blue Yonder Airlines,"
    "Trey Research,Wingtip Toys,Humongous Insurance,Hooli,Pied Piper,Initech,Globex,Vandelay Industries,"
    "Dunder Mifflin,Soylent,Cyberdyne Systems,Tyrell Corporation,Massive Dynamic,Stark Industries,Oscorp"
)
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com", "inbox.example.org")
TAGS = _split(
    "Referral,Top talent,Silver medalist,Relocation needed,Visa sponsorship,Remote only,Internal candidate,"
    "Rehire eligible,Campus,Agency,Passive,Do not contact,Fast track,Needs follow-up,Bilingual,"
    "Leadership potential,Former employee,Contractor,Spanish speaker,German speaker,French speaker,Python,"
    "Java,React,Go,Kubernetes,AWS,Enterprise sales,SMB sales,Startup background,Big tech,Hackathon winner,"
    "Open source,Portfolio reviewed,Assessment passed,Assessment failed,Background check,Reference check done,"
    "Counter-offer risk,Notice period 3m,Immediate start,Part-time only,Night shift,Weekend availability,"
    "Driver's license,Security clearance,Veteran,Returnship,Career changer,Bootcamp,PhD,MBA,CPA,PMP,Six Sigma,"
    "Talent pool 2024,Talent pool 2025,Diversity sourcing,Event lead,Boomerang"
)
COLORS = ("#e11d48", "#f59e0b", "#10b981", "#3b82f6", "#8b5cf6", "#64748b")
#: (name, category). Indices 3 and 4 are used by the offer scenarios.
REJECTION_REASONS = (
    ("Not enough experience", "qualification"), ("Skills mismatch", "qualification"),
    ("Salary expectations too high", "compensation"), ("Declined offer", "candidate"),
    ("Position filled", "company"), ("Failed technical assessment", "qualification"),
    ("No response from candidate", "candidate"), ("Work permit / location", "logistics"),
    ("Overqualified", "qualification"), ("Position closed", "company"),
    ("Duplicate application", "admin"), ("Culture add concerns", "qualification"),
)  # fmt: skip
WITHDRAWAL_REASONS = ("Accepted another offer", "Compensation expectations not met", "Personal reasons",
                      "Relocation not possible", "Process took too long")  # fmt: skip
#: (name, key, level): account-level roles first, then job-level roles.
ROLES = (
    ("Account Admin", "admin", "account"), ("Recruiter", "recruiter", "account"),
    ("Hiring Manager", "hiring_manager", "account"), ("Interviewer", "interviewer", "account"),
    ("Basic User", "basic", "account"), ("Hiring Manager", "hiring_manager", "job"),
    ("Recruiter", "recruiter", "job"), ("Recruiting Coordinator", "coordinator", "job"),
    ("Sourcer", "sourcer", "job"), ("Interview Panel", "interviewer", "job"),
)  # fmt: skip
#: (department, code, category, salary factor, titles)
DEPARTMENTS = (
    ("Engineering", "ENG", "Technology", 1.25, _split("Software Engineer,Backend Engineer,Frontend Engineer,"
     "Site Reliability Engineer,Mobile Engineer (iOS),QA Automation Engineer,Engineering Manager")),
    ("Data", "DAT", "Technology", 1.2, _split("Data Analyst,Data Scientist,Machine Learning Engineer,"
     "Analytics Engineer")),
    ("Product", "PRD", "Product", 1.15, _split("Product Manager,Product Designer,UX Researcher,Product Owner")),
    ("Sales", "SAL", "Commercial", 1.0, _split("Account Executive,Sales Development Representative,"
     "Enterprise Account Executive,Sales Manager")),
    ("Marketing", "MKT", "Commercial", 0.95, _split("Content Marketing Manager,Growth Marketer,"
     "Product Marketing Manager,SEO Specialist")),
    ("Customer Success", "CSM", "Commercial", 0.85, _split("Customer Success Manager,Support Specialist,"
     "Technical Account Manager,Implementation Consultant")),
    ("Finance", "FIN", "G&A", 1.0, _split("Financial Analyst,Accountant,Payroll Specialist,FP&A Manager")),
    ("People", "PPL", "G&A", 0.9, _split("Recruiter,HR Business Partner,People Operations Specialist")),
    ("Operations", "OPS", "Operations", 0.8, _split("Operations Manager,Office Manager,Warehouse Associate")),
    ("Legal", "LEG", "G&A", 1.2, _split("Legal Counsel,Compliance Officer,Paralegal")),
)  # fmt: skip
LEVELS = (("Junior", 45_000), ("Mid-level", 65_000), ("Senior", 90_000), ("Lead", 115_000), ("Principal", 140_000))
#: (street, city, region, postal code, ISO country)
LOCATIONS = (
    ("1 Market St", "San Francisco", "CA", "94105", "US"), ("350 5th Ave", "New York", "NY", "10118", "US"),
    ("100 Congress Ave", "Austin", "TX", "78701", "US"), ("500 Boylston St", "Boston", "MA", "02116", "US"),
    ("30 St Mary Axe", "London", None, "EC3A 8BF", "GB"), ("Friedrichstraße 68", "Berlin", "BE", "10117", "DE"),
    ("Leopoldstraße 30", "Munich", "BY", "80802", "DE"), ("12 Rue de Rivoli", "Paris", None, "75004", "FR"),
    ("Herengracht 420", "Amsterdam", "NH", "1017 BZ", "NL"), ("Calle de Alcalá 45", "Madrid", "MD", "28014", "ES"),
    ("200 Bay St", "Toronto", "ON", "M5J 2J2", "CA"), ("1 Martin Pl", "Sydney", "NSW", "2000", "AU"),
    ("Bahnhofstrasse 10", "Zurich", "ZH", "8001", "CH"), ("Drottninggatan 50", "Stockholm", None, "111 21", "SE"),
    ("5 Grand Canal Quay", "Dublin", None, "D02 H210", "IE"), ("ul. Marszałkowska 10", "Warsaw", None, "00-590", "PL"),
)  # fmt: skip
CURRENCIES = {"US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "CH": "CHF", "SE": "SEK", "PL": "PLN"}
_FX = {"USD": 1.0, "EUR": 0.8, "GBP": 0.75, "CAD": 1.2, "AUD": 1.3, "CHF": 1.05, "SEK": 9.0, "PLN": 3.4}
_CALLING = {"DE": "49", "FR": "33", "NL": "31", "ES": "34", "AU": "61", "CH": "41", "SE": "46", "IE": "353",
            "PL": "48"}  # fmt: skip
SOURCES = ("LinkedIn", "Company website", "Employee referral", "Indeed", "Agency", "Glassdoor", "Job fair",
           "Sourced")  # fmt: skip
_SOURCE_CUM = (30, 55, 67, 79, 84, 90, 93, 100)
_STAGE_POOL = (("Screening", "screen"), ("Phone Screen", "screen"), ("Hiring Manager Interview", "interview"),
               ("Technical Interview", "interview"), ("Take-home Assignment", "assessment"),
               ("Onsite", "interview"), ("Reference Check", "reference"))  # fmt: skip
_FIRST_STATES = ("published", "closed", "published", "draft", "published", "archived", "filled", "on_hold")
_JOB_STATES = ("published", "closed", "filled", "draft", "archived", "on_hold")
_JOB_WEIGHT = {"published": 1.0, "on_hold": 0.5, "closed": 0.6, "filled": 0.6, "archived": 0.35, "draft": 0.0}
_DUTIES = _split("Own projects end to end from discovery to delivery,Collaborate with cross-functional teams,"
                 "Mentor colleagues and share knowledge,Improve our processes and tooling,"
                 "Talk to customers and turn feedback into action,Report progress to stakeholders")  # fmt: skip
_NEEDS = _split("Relevant professional experience,Excellent written and verbal communication,"
                "A bias for action and ownership,Fluency in English,Comfort with ambiguity,"
                "Experience in a fast-growing company")  # fmt: skip
_PERKS = _split("Flexible working hours,30 days of paid vacation,Learning budget,Company pension plan,"
                "Home office allowance,Team offsites twice a year")  # fmt: skip
_O = "options"
#: Screening question catalog: (slug, label, vendor kind, required, extras). Conditional questions follow
#: their precondition question; ``showIf`` names it by slug and lists option positions or booleans.
QUESTIONS: tuple[tuple[str, str, str, bool, dict[str, Any]], ...] = (
    ("current_title", "What is your current job title?", "short_text", True, {"maxLength": 120}),
    ("motivation", "Why do you want to join us?", "long_text", False, {"maxLength": 4000}),
    ("alt_email", "Alternative email address", "email", False, {}),
    ("linkedin", "LinkedIn profile", "url", False, {}),
    ("experience", "Years of professional experience", "number", True, {"min": 0, "max": 50}),
    ("salary", "Expected annual salary (in thousands)", "slider", False, {"min": 20, "max": 300}),
    ("portfolio", "Portfolio or work samples", "file", False,
     {"accept": ["application/pdf", "application/zip"], "maxBytes": 10_485_760}),
    ("heard", "How did you hear about us?", "dropdown", True,
     {_O: ["LinkedIn", "Job board", "Employee referral", "Conference", "Other"]}),
    ("referrer", "Who referred you?", "short_text", False, {"showIf": ("heard", [2])}),
    ("arrangement", "Preferred work arrangement", "radio", True, {_O: ["Remote", "Hybrid", "On-site"]}),
    ("languages", "Which languages do you speak fluently?", "checkboxes", False,
     {_O: ["English", "German", "French", "Spanish", "Mandarin", "Other"]}),
    ("sponsorship", "Will you now or in the future require visa sponsorship?", "yes_no", True, {}),
    ("visa", "Which work permit do you currently hold?", "short_text", False, {"showIf": ("sponsorship", [True])}),
    ("start_date", "Earliest possible start date", "date", False, {}),
    ("privacy", "Privacy notice", "info", False,
     {"description": "We process your application data only for this and similar vacancies."}),
    ("signature", "Electronic signature", "signature", True, {"description": "Sign to confirm your answers."}),
    ("gender", "Gender", "dropdown", False,
     {_O: ["Female", "Male", "Non-binary", "Decline to self-identify"], "eeoCategory": "eeo"}),
    ("veteran", "Veteran status", "radio", False,
     {_O: ["I am a protected veteran", "I am not a protected veteran", "Decline to answer"], "eeoCategory": "eeo"}),
    ("ethnicity", "How would you describe your ethnicity?", "checkboxes", False,
     {_O: ["Asian", "Black", "Hispanic or Latino", "White", "Two or more", "Decline"], "eeoCategory": "demographic"}),
)  # fmt: skip
_CORE_QUESTIONS = {"current_title", "experience", "heard", "sponsorship"}
_VISAS = ("H-1B", "EU Blue Card", "Skilled Worker visa", "TN", "None yet")
_MOTIVATIONS = ("I have followed your product for years and want to help shape it.",
                "The role matches my experience and the team's mission resonates with me.",
                "I am looking for a bigger scope and a culture of ownership.")  # fmt: skip
#: Scorecard form: (id, label, vendor type, required, options)
SCORECARD_FORM = (
    ("scq_1", "Overall recommendation", "single", True, ("Strong no", "No", "Yes", "Strong yes")),
    ("scq_2", "Key strengths", "multi", False,
     ("Communication", "Problem solving", "Technical depth", "Leadership", "Collaboration", "Ownership")),
    ("scq_3", "Interview notes", "paragraph", True, ()),
    ("scq_4", "Would you like to work with this person?", "yes_no", True, ()),
    ("scq_5", "Technical skills (1-5)", "rating", False, ()),
    ("scq_6", "Suggested follow-up date", "date", False, ()),
)  # fmt: skip
_FEEDBACK = ("Structured thinker, clear communication, solid fundamentals.",
             "Strong on the technical side, less experience with stakeholders.",
             "Good culture add; would like a second opinion on depth.")  # fmt: skip
_NOTES = (("Phone screen summary", "Spoke with {first} about the role; motivated and available in 4 weeks."),
          ("Compensation", "{first} expects a package at the top of our range."),
          ("Follow-up", "Send {first} the take-home assignment and schedule the debrief."),
          ("Reference feedback", "Two references for {first}, both very positive."),
          ("Sourcing", "Found {first} via a referral; reached out on LinkedIn."))  # fmt: skip
_ROOMS = ("Ada Lovelace room", "Room 3.14", "Boardroom", "Meeting room Atlas", "Focus room 2")

# ------------------------------------------------------------------------------------------ constants
KINDS: tuple[str, ...] = (
    "users", "roles", "tags", "rejection_reasons", "jobs", "application_stages", "candidates",
    "applications", "interviews", "offers", "notes", "scorecards", "attachments",
)  # fmt: skip
PREFIX: dict[str, str] = {
    "users": "usr_", "roles": "role_", "tags": "tag_", "rejection_reasons": "rr_", "jobs": "job_",
    "application_stages": "stg_", "candidates": "cand_", "applications": "app_", "interviews": "int_",
    "offers": "ofr_", "notes": "note_", "scorecards": "sc_", "attachments": "att_",
}  # fmt: skip
_KIND_NO = {kind: n + 1 for n, kind in enumerate(KINDS)}
_SALT_CORE, _SALT_CAND, _SALT_USER = 101, 102, 103
#: 2025-06-01T00:00:00Z: every base record was created and last updated before this instant.
EPOCH_MS = 1_748_736_000_000
HOUR = 3_600_000
DAY = 24 * HOUR
SPAN = 720 * DAY
BASE_URL = "https://app.sandbox-ats.example"
CAREERS_URL = "https://careers.sandbox-ats.example"
_M64 = (1 << 64) - 1
PRESETS: dict[str, int] = {"tiny": 20, "small": 300, "medium": 10_000, "large": 200_000}
#: (applications, jobs, users, tags, rejection reasons), log-log interpolated between anchors.
_ANCHORS = ((20, 3, 5, 10, 6), (300, 10, 15, 20, 8), (10_000, 60, 80, 40, 10), (200_000, 500, 300, 60, 12))
_CAPS = (100_000, 300, len(TAGS), len(REJECTION_REASONS))


def _mix(a: int, b: int, c: int) -> int:
    """splitmix64-style hash of three ints: cheap per-record seeds and draws without a Random object."""
    x = ((a & _M64) * 0x9E3779B97F4A7C15 + b * 0xC2B2AE3D27D4EB4F + c * 0x165667B19E3779F9) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _weighted(rng: random.Random, items: tuple[Any, ...], cum: tuple[int, ...]) -> Any:
    """``rng.choices(items, weights)[0]`` with precomputed cumulative weights (hot paths)."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _pick(rng: random.Random, items: tuple[Any, ...] | list[Any]) -> Any:
    """``rng.choice`` for hot paths: one C-level ``random()`` instead of Python-level rejection sampling."""
    return items[int(rng.random() * len(items))]


def _unit(h: int) -> float:
    return (h >> 11) / 9007199254740992.0


_ASCII: dict[str, str] = {}


def ascii_name(text: str) -> str:
    """``Lefèvre`` -> ``Lefevre``; ``de Vries`` -> ``deVries`` (for emails and file names)."""
    found = _ASCII.get(text)
    if found is None:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        found = _ASCII[text] = "".join(ch for ch in plain if ch.isalnum())
    return found


def slug(text: str) -> str:
    return ascii_name(text).lower()


def iso_date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")


def scale(applications: int) -> tuple[int, int, int, int]:
    """(jobs, users, tags, rejection reasons) for a sandbox with this many applications."""
    a = max(applications, 1)
    first = _ANCHORS[0]
    if a <= first[0]:
        return max(1, math.ceil(first[1] * a / first[0])), first[2], first[3], first[4]
    pairs = list(zip(_ANCHORS, _ANCHORS[1:], strict=False))
    lo, hi = next(((left, right) for left, right in pairs if a <= right[0]), pairs[-1])
    t = (math.log(a) - math.log(lo[0])) / (math.log(hi[0]) - math.log(lo[0]))
    vals = [round(math.exp(math.log(x) + t * (math.log(y) - math.log(x)))) for x, y in zip(lo[1:], hi[1:], strict=True)]
    jobs, users, tags, reasons = (min(v, cap) for v, cap in zip(vals, _CAPS, strict=True))
    return jobs, users, tags, reasons


def resolve_size(size: str | int) -> int:
    """Number of applications for a size preset name or an explicit count."""
    if isinstance(size, int):
        return max(0, size)
    if size.isdigit():
        return int(size)
    if size not in PRESETS:
        raise ValueError(f"unknown sandbox size {size!r}: use one of {', '.join(PRESETS)} or a number")
    return PRESETS[size]


@dataclass(frozen=True)
class Fanout:
    """Children spread over parents by arithmetic: parents with ``p % step == phase`` have children, the
    m-th such parent has ``pattern[m % len(pattern)]`` of them. Both directions are O(1)."""

    step: int
    phase: int
    pattern: tuple[int, ...]

    @cached_property
    def _prefix(self) -> tuple[int, ...]:
        out = [0]
        for n in self.pattern:
            out.append(out[-1] + n)
        return tuple(out)

    def ordinal(self, parent: int, n_parents: int) -> int | None:
        """m for the m-th parent that has children, else None."""
        if parent >= n_parents or parent < self.phase or (parent - self.phase) % self.step:
            return None
        return (parent - self.phase) // self.step

    def count(self, n_parents: int) -> int:
        eligible = 0 if n_parents <= self.phase else (n_parents - self.phase - 1) // self.step + 1
        full, rest = divmod(eligible, len(self.pattern))
        return full * self._prefix[-1] + self._prefix[rest]

    def parent(self, child: int) -> tuple[int, int]:
        """(parent index, position among its siblings)."""
        prefix = self._prefix
        full, r = divmod(child, prefix[-1])
        slot = bisect.bisect_right(prefix, r) - 1
        return (full * len(self.pattern) + slot) * self.step + self.phase, r - prefix[slot]

    def children(self, parent: int, n_parents: int) -> range:
        m = self.ordinal(parent, n_parents)
        if m is None:
            return range(0)
        full, slot = divmod(m, len(self.pattern))
        start = full * self._prefix[-1] + self._prefix[slot]
        return range(start, start + self.pattern[slot])


INTERVIEWS = Fanout(5, 1, (1, 2, 1, 3, 1, 1))  # ~0.3 per application
OFFERS = Fanout(24, 3, (1, 1, 2, 1, 1, 1))  # ~0.05 per application
NOTES = Fanout(5, 2, (1,))  # 0.2 per application; every 4th note is on the candidate only
SCORECARDS = Fanout(2, 0, (1,))  # every other interview: ~0.15 per application
APP_ATTACHMENTS = Fanout(8, 5, (1, 1, 2))  # cover letters and other files, ~0.17 per application
#: (application state, final offer status), cycled over applications with offers so that every outcome and
#: offer status exists even in small sandboxes.
OFFER_SCENARIOS = (("hired", "accepted"), ("active", "sent"), ("rejected", "declined"),
                   ("active", "approved"), ("active", "approval_pending"), ("rejected", "rescinded"))  # fmt: skip


@dataclass(slots=True)
class JobInfo:
    """A job's vendor record plus what other kinds derive from it (pipeline, team, application window)."""

    index: int
    rid: str
    record: Record
    stage_base: int
    stages: list[tuple[str, str, bool]]  # (name, type, active)
    active: list[int]  # positions of active stages: first "Applied", last two "Offer" and "Hired"
    interviewers: list[int]
    window: tuple[int, int]
    weight: float


@dataclass(slots=True)
class AppFacts:
    """What an application's children need to know, without building the whole application."""

    job: int
    cand: int
    created: int
    state: str
    stage: int  # position in the job's pipeline
    decided: int | None
    reason: int | None
    scenario: int | None
    updated: int


class SandboxATS:
    """The sandbox vendor's base data set for one (seed, size)."""

    def __init__(self, seed: int, size: str | int = "small") -> None:
        self.seed = int(seed)
        self.n_apps = resolve_size(size)
        self.n_jobs, self.n_users, self.n_tags, self.n_reasons = scale(self.n_apps)
        self.n_cands = math.ceil(self.n_apps * 0.8)
        self._extra = self.n_apps - self.n_cands
        self._stride = self.n_cands // self._extra if self._extra else 1
        self.domain = f"{slug(COMPANIES[self.seed % len(COMPANIES)])}.example"
        self._lock = threading.Lock()
        self._table: list[JobInfo] = []
        self._bases: list[int] = []
        self._cum: list[float] = []
        self._eligible: list[int] = []
        self._memo: dict[int, AppFacts] = {}
        self._builders = {
            "users": self._user, "roles": self._role, "tags": self._tag, "rejection_reasons": self._reason,
            "jobs": self._job, "application_stages": self._stage, "candidates": self._candidate,
            "applications": self._application, "interviews": self._interview, "offers": self._offer,
            "notes": self._note, "scorecards": self._scorecard, "attachments": self._attachment,
        }  # fmt: skip

    # ------------------------------------------------------------------------------------ public surface
    def count(self, kind: str) -> int:
        a, n_int = self.n_apps, INTERVIEWS.count(self.n_apps)
        if kind == "application_stages":
            last = self.jobs()[-1]
            return last.stage_base + len(last.stages)
        return {
            "users": self.n_users, "roles": len(ROLES), "tags": self.n_tags, "rejection_reasons": self.n_reasons,
            "jobs": self.n_jobs, "candidates": self.n_cands, "applications": a, "interviews": n_int,
            "offers": OFFERS.count(a), "notes": NOTES.count(a), "scorecards": SCORECARDS.count(n_int),
            "attachments": self.n_cands + APP_ATTACHMENTS.count(a),
        }[kind]  # fmt: skip

    def remote_id(self, kind: str, index: int) -> str:
        return f"{PREFIX[kind]}{index + 1}"

    def index_of(self, kind: str, remote_id: str) -> int | None:
        """The base index behind a remote id, or None for records the sandbox ATS created later."""
        prefix = PREFIX[kind]
        digits = remote_id[len(prefix) :]
        if not remote_id.startswith(prefix) or not digits.isdigit():
            return None
        index = int(digits) - 1
        return index if 0 <= index < self.count(kind) else None

    def record(self, kind: str, index: int) -> Record:
        """Base record ``index`` of ``kind``: a fresh dict, safe to mutate."""
        if not 0 <= index < self.count(kind):
            raise IndexError(f"{kind} {index} out of range")
        return self._builders[kind](index)

    def records(self, kind: str, start: int = 0, stop: int | None = None) -> Iterator[Record]:
        build, end = self._builders[kind], self.count(kind)
        for index in range(start, end if stop is None else min(stop, end)):
            yield build(index)

    def rng(self, kind: str, index: int) -> random.Random:
        return random.Random(_mix(self.seed, _KIND_NO[kind], index))

    def jobs(self) -> list[JobInfo]:
        """The job table, built once: everything pipelines, routing and questions depend on."""
        if not self._table:
            with self._lock:
                if not self._table:
                    table: list[JobInfo] = []
                    for j in range(self.n_jobs):
                        table.append(self._build_job(j, table[-1].stage_base + len(table[-1].stages) if table else 0))
                    for job in table:
                        if job.weight > 0:
                            self._cum.append((self._cum[-1] if self._cum else 0.0) + job.weight)
                            self._eligible.append(job.index)
                    self._bases = [job.stage_base for job in table]
                    self._table = table
        return self._table

    def job_by_rid(self, rid: str) -> JobInfo | None:
        index = self.index_of("jobs", rid)
        return None if index is None else self.jobs()[index]

    def candidate_name(self, c: int) -> tuple[str, str]:
        h = _mix(self.seed, _SALT_CAND, c)
        return FIRST_NAMES[h % len(FIRST_NAMES)], LAST_NAMES[(h >> 24) % len(LAST_NAMES)]

    def candidate_apps(self, c: int) -> list[int]:
        """Base applications of base candidate ``c``: its first, plus possibly one more."""
        apps, off = [c], c - self._stride // 2
        if self._extra and off >= 0 and off % self._stride == 0 and off // self._stride < self._extra:
            apps.append(self.n_cands + off // self._stride)
        return apps

    def facts(self, i: int) -> AppFacts:
        """Memoised (bounded) application facts, for children generated near their application."""
        found = self._memo.get(i)
        if found is None:
            if len(self._memo) > 4096:
                self._memo.clear()
            found = self._memo[i] = self._facts(i, self.rng("applications", i))
        return found

    def stage_ref(self, job: JobInfo, pos: int) -> Record:
        return {"id": self.remote_id("application_stages", job.stage_base + pos), "name": job.stages[pos][0]}

    def role_ref(self, r: int) -> Record:
        return {"id": self.remote_id("roles", r), "name": ROLES[r][0], "key": ROLES[r][1]}

    # ------------------------------------------------------------------------------ small fixed kinds
    def _user(self, u: int) -> Record:
        h = _mix(self.seed, _SALT_USER, u)
        first, last = FIRST_NAMES[h % len(FIRST_NAMES)], LAST_NAMES[(h >> 24) % len(LAST_NAMES)]
        rng = self.rng("users", u)
        role = 0 if u == 0 else rng.choices((1, 2, 3, 4), (3, 3, 5, 2))[0]
        status = "active" if u < 3 else rng.choices(("active", "deactivated", "invited"), (90, 7, 3))[0]
        created = EPOCH_MS - SPAN - 60 * DAY + u * DAY // 3
        return {"id": self.remote_id("users", u), "firstName": first, "lastName": last,
                "email": f"{slug(first)}.{slug(last)}{u + 1}@{self.domain}", "status": status,
                "accountRoles": [self.role_ref(role)], "created_at": created,
                "updated_at": created + rng.randrange(SPAN)}  # fmt: skip

    def _role(self, r: int) -> Record:
        at = EPOCH_MS - SPAN - 90 * DAY
        return {**self.role_ref(r), "level": ROLES[r][2], "created_at": at, "updated_at": at}

    def _tag(self, t: int) -> Record:
        created = EPOCH_MS - SPAN + t * 7 * DAY
        return {"id": self.remote_id("tags", t), "label": TAGS[(t + self.seed) % len(TAGS)],
                "color": COLORS[t % len(COLORS)], "created_at": created, "updated_at": created}  # fmt: skip

    def _reason(self, r: int) -> Record:
        at = EPOCH_MS - SPAN - 30 * DAY
        return {"id": self.remote_id("rejection_reasons", r), "text": REJECTION_REASONS[r][0],
                "category": REJECTION_REASONS[r][1], "created_at": at, "updated_at": at}  # fmt: skip

    # ---------------------------------------------------------------------------------- jobs, stages
    def _build_job(self, j: int, stage_base: int) -> JobInfo:
        rng, rid = self.rng("jobs", j), self.remote_id("jobs", j)
        dept, code, category, factor, titles = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
        level, base_pay = LEVELS[rng.choices(range(len(LEVELS)), (15, 35, 30, 15, 5))[0]]
        title = rng.choice(titles)
        title = f"{level} {title}" if level in ("Junior", "Senior", "Lead") and "Manager" not in title else title
        state = _FIRST_STATES[j] if j < len(_FIRST_STATES) else rng.choices(_JOB_STATES, (50, 10, 8, 8, 18, 6))[0]
        visibility = rng.choices(("public", "internal", "unlisted", "confidential"), (70, 15, 10, 5))[0]
        employment = rng.choices(("full-time", "part-time", "contract", "seasonal", "internship"), (75, 8, 10, 3, 4))[0]
        street, city, region, postal, country = LOCATIONS[rng.randrange(len(LOCATIONS))]
        currency = CURRENCIES.get(country, "EUR")
        if state == "draft":
            created, opened = EPOCH_MS - rng.randint(2, 60) * DAY, None
        else:
            created = EPOCH_MS - SPAN + int(rng.random() * SPAN * 0.88)
            opened = created + rng.randint(1, 10) * DAY
        closed = None
        if opened is not None and state in ("closed", "filled", "archived"):
            closed = min(opened + rng.randint(20, 200) * DAY, EPOCH_MS - 2 * DAY)
        start = opened if opened is not None else created
        window = (start, max(start + DAY, closed if closed is not None else EPOCH_MS - 2 * HOUR))
        stages = self._pipeline(rng)
        team, interviewers = self._team(rng)
        yearly = base_pay * factor * _FX[currency] * rng.uniform(0.9, 1.05)
        salary: Record | None = None
        if rng.random() < 0.85:
            hourly = employment in ("part-time", "seasonal")
            amount, interval = (yearly / 2080, "hourly") if hourly else (yearly, "yearly")
            if employment == "internship":
                amount, interval = 1800 * _FX[currency], "monthly"
            digits = 2 if interval == "hourly" else -2
            salary = {"min": round(amount, digits), "max": round(amount * rng.uniform(1.15, 1.35), digits),
                      "currency": currency, "interval": interval}  # fmt: skip
        board = {"public": "careers", "internal": "intranet", "unlisted": "direct-link"}.get(visibility)
        post_title = f"{title} (m/w/d)" if country == "DE" else title
        careers = f"{CAREERS_URL}/jobs/{rid}-{slug(title)}"
        postings: list[Record] = []
        if board is not None:
            pstate = {"published": "live", "on_hold": "paused", "draft": "draft"}.get(state, "closed")
            postings.append({"id": f"post_{j + 1}_1", "title": post_title, "board": board, "status": pstate,
                             "url": careers if board == "careers" else f"{careers}?ref={board}"})  # fmt: skip
            if board == "careers" and rng.random() < 0.4:
                postings.append({"id": f"post_{j + 1}_2", "title": post_title, "board": "intranet",
                                 "status": pstate, "url": f"{careers}?ref=intranet"})  # fmt: skip
        record: Record = {
            "id": rid, "title": title, "code": f"{code}-{1000 + j}", "department": dept, "category": category,
            "level": level, "descriptionHtml": self._description(rng, title, dept), "state": state,
            "visibility": visibility, "employmentType": employment,
            "workplace": rng.choices(("onsite", "hybrid", "remote", "temporary-remote"), (35, 40, 22, 3))[0],
            "hoursPerWeek": {"full-time": 40.0, "part-time": 20.0, "internship": 30.0}.get(employment, 38.5),
            "location": {"street": street, "city": city, "region": region, "postalCode": postal, "country": country},
            "salary": salary, "openedAt": opened, "closedAt": closed,
            "careersUrl": careers if board == "careers" else None, "url": f"{BASE_URL}/jobs/{rid}",
            "contactUserId": self.remote_id("users", team[1]["userId"] if len(team) > 1 else team[0]["userId"]),
            "questions": self._questions(rng, j), "postings": postings, "hiringTeam": team,
            "customFields": {"costCenter": f"CC-{rng.randrange(1000, 9999)}", "headcount": rng.choice((1, 1, 2, 3))},
            "created_at": created,
            "updated_at": min(max(created, closed or opened or created) + rng.randrange(10 * DAY), EPOCH_MS - HOUR),
        }  # fmt: skip
        for member in team:
            member["userId"] = self.remote_id("users", member["userId"])
        active = [pos for pos, stage in enumerate(stages) if stage[2]]
        weight = _JOB_WEIGHT[state] * rng.lognormvariate(0, 0.6)
        return JobInfo(j, rid, record, stage_base, stages, active, interviewers, window, weight)

    def _pipeline(self, rng: random.Random) -> list[tuple[str, str, bool]]:
        """4-8 stages: Applied, some of the pool in order, Offer, Hired; sometimes one archived stage."""
        n = rng.randint(4, 8)
        middle = [_STAGE_POOL[x] for x in sorted(rng.sample(range(len(_STAGE_POOL)), n - 3))]
        stages = [("Applied", "applied", True)] + [(name, kind, True) for name, kind in middle]
        stages += [("Offer", "offer", True), ("Hired", "hired", True)]
        if n >= 5 and rng.random() < 0.35:
            k = rng.randrange(1, n - 2)
            stages[k] = (stages[k][0], stages[k][1], False)
        return stages

    def _team(self, rng: random.Random) -> tuple[list[Record], list[int]]:
        """Hiring team (user index -> role refs) and the users who interview."""
        members = rng.sample(range(self.n_users), min(self.n_users, rng.randint(3, 6)))
        roles: list[list[int]] = [[5, 9], [6], [9]] + [[rng.choice((7, 8, 9))] for _ in members[3:]]
        team = [{"userId": u, "roles": [self.role_ref(r) for r in rs]} for u, rs in zip(members, roles, strict=False)]
        return team, [u for u, rs in zip(members, roles, strict=False) if 9 in rs]

    def _description(self, rng: random.Random, title: str, dept: str) -> str:
        def bullets(pool: tuple[str, ...]) -> str:
            return "".join(f"<li>{item}</li>" for item in rng.sample(pool, 3))

        return (f"<h2>About the role</h2><p>As {title} in our {dept} team you will help us grow.</p>"
                f"<h3>What you'll do</h3><ul>{bullets(_DUTIES)}</ul>"
                f"<h3>What we're looking for</h3><ul>{bullets(_NEEDS)}</ul>"
                f"<h3>Benefits</h3><ul>{bullets(_PERKS)}</ul>")  # fmt: skip

    def _questions(self, rng: random.Random, j: int) -> list[Record]:
        """Every third job asks the whole catalog (so all formats exist); others a core plus a sample."""
        full, eeo = j % 3 == 0, rng.random() < 0.3
        ids = {slug_: f"q_{j + 1}_{n + 1}" for n, (slug_, *_rest) in enumerate(QUESTIONS)}
        out: list[Record] = []
        for key, label, kind, required, extra in QUESTIONS:
            wanted = full or key in _CORE_QUESTIONS or (eeo if "eeoCategory" in extra else rng.random() < 0.3)
            cond = extra.get("showIf")
            if not wanted or (cond is not None and not any(q["slug"] == cond[0] for q in out)):
                continue
            plain = {k: v for k, v in extra.items() if k not in (_O, "showIf")}
            question: Record = {"id": ids[key], "slug": key, "label": label, "kind": kind, "required": required,
                                "position": len(out), **plain}  # fmt: skip
            if _O in extra:
                question[_O] = [{"id": f"{key}_{o + 1}", "label": name} for o, name in enumerate(extra[_O])]
            if cond is not None:
                parent = ids[cond[0]]
                values = [v if isinstance(v, bool) else f"{cond[0]}_{v + 1}" for v in cond[1]]
                question["showIf"] = {"questionId": parent, "values": values}
            out.append(question)
        return out

    def _job(self, j: int) -> Record:
        copy: Record = orjson.loads(orjson.dumps(self.jobs()[j].record))
        return copy

    def _stage(self, s: int) -> Record:
        table = self.jobs()
        job = table[bisect.bisect_right(self._bases, s) - 1]
        pos = s - job.stage_base
        name, stype, active = job.stages[pos]
        created = job.record["created_at"]
        return {"id": self.remote_id("application_stages", s), "jobId": job.rid, "name": name, "position": pos,
                "type": stype, "archived": not active, "created_at": created,
                "updated_at": created + (0 if active else 30 * DAY)}  # fmt: skip

    # ------------------------------------------------------------------------- candidates, applications
    def _app_core(self, i: int) -> tuple[int, int, int]:
        """(job, created, candidate) of application ``i``, from hashes only (no Random needed)."""
        table = self.jobs()
        h = _mix(self.seed, _SALT_CORE, i)
        pos = min(bisect.bisect_right(self._cum, _unit(h) * self._cum[-1]), len(self._eligible) - 1)
        job = self._eligible[pos]
        start, end = table[job].window
        created = start + int(_unit(_mix(h, 1, 2)) * (end - start))
        if i < self.n_cands:
            return job, created, i
        cand = (i - self.n_cands) * self._stride + self._stride // 2
        first_job, first_created, _ = self._app_core(cand)
        if job == first_job and len(self._eligible) > 1:
            job = self._eligible[(pos + 1) % len(self._eligible)]
        return job, min(max(created, first_created + 3 * DAY), EPOCH_MS - 2 * HOUR), cand

    def cand_created(self, c: int) -> int:
        return self._app_core(c)[1] - 1 - _mix(self.seed, _SALT_CAND + 7, c) % (72 * HOUR)

    def _candidate(self, c: int) -> Record:
        return self.make_candidate(self.rng("candidates", c), self.remote_id("candidates", c),
                                   self.candidate_name(c), self.cand_created(c))  # fmt: skip

    def make_candidate(self, rng: random.Random, rid: str, name: tuple[str, str], created: int) -> Record:
        first, last = name
        serial, fs, ls, r = rid[len(PREFIX["candidates"]) :], slug(first), slug(last), rng.random
        _street, city, region, _postal, country = _pick(rng, LOCATIONS)
        company = _pick(rng, COMPANIES) if r() < 0.8 else None
        emails = [{"address": f"{fs}.{ls}{serial}@{_pick(rng, MAIL_DOMAINS)}", "kind": "personal"}]
        if company is not None and r() < 0.25:
            emails.append({"address": f"{fs[:1]}{ls}{serial}@{slug(company)}.example", "kind": "work"})
        phones = [{"number": self.phone(rng, country), "kind": "mobile"}] if r() < 0.85 else []
        if r() < 0.1:
            phones.append({"number": self.phone(rng, country), "kind": "home"})
        links = [{"url": f"https://www.linkedin.com/in/{fs}-{ls}-{serial}", "network": "linkedin"}] if r() < 0.7 else []
        if r() < 0.15:
            links.append({"url": f"https://github.com/{fs}{ls}{serial}", "network": "github"})
        n_tags = min(self.n_tags, _weighted(rng, (0, 1, 2, 3), (50, 80, 95, 100)))
        tags = sorted({int(r() * self.n_tags) for _ in range(n_tags)})
        return {
            "id": rid, "firstName": first, "lastName": last,
            "headline": _pick(rng, _pick(rng, DEPARTMENTS)[4]) if company else None,
            "currentCompany": company, "emails": emails, "phones": phones, "links": links,
            "address": {"city": city, "region": region, "country": country},
            "source": _weighted(rng, SOURCES, _SOURCE_CUM), "confidential": r() < 0.03,
            "tags": [self.remote_id("tags", t) for t in tags],
            "customFields": {"noticePeriodWeeks": _pick(rng, (0, 2, 4, 8, 12)), "willingToRelocate": r() < 0.3},
            "url": f"{BASE_URL}/candidates/{rid}", "created_at": created,
            "updated_at": max(created, min(created + int(r() * 30 * DAY), EPOCH_MS - HOUR)),
        }  # fmt: skip

    def phone(self, rng: random.Random, country: str) -> str:
        """Numbers from fictional ranges where they exist (NANP 555-01xx, UK 07700 900xxx)."""
        r = rng.random
        if country in ("US", "CA"):
            return f"+1 {_pick(rng, (212, 415, 512, 617, 416))} 555 01{int(r() * 100):02d}"
        if country == "GB":
            return f"+44 7700 900{int(r() * 1000):03d}"
        code = _CALLING.get(country, "49")
        return f"+{code} {150 + int(r() * 30)} {1000 + int(r() * 9000)} {100 + int(r() * 900)}"

    def _facts(self, i: int, rng: random.Random) -> AppFacts:
        job_i, created, cand = self._app_core(i)
        job = self.jobs()[job_i]
        m = OFFERS.ordinal(i, self.n_apps)
        scenario = None if m is None else (m + self.seed) % len(OFFER_SCENARIOS)
        if scenario is not None:
            state = OFFER_SCENARIOS[scenario][0]
            stage = job.active[-1] if state == "hired" else job.active[-2]
        else:
            cum = (4, 34, 40, 100) if job.record["state"] in ("published", "on_hold") else (8, 80, 90, 100)
            state = _weighted(rng, ("hired", "rejected", "withdrawn", "active"), cum)
            state = "on_hold" if state == "active" and rng.random() < 0.05 else state
            pos = min(int(rng.expovariate(0.8)), len(job.active) - 3)
            pos = max(pos, 1) if INTERVIEWS.ordinal(i, self.n_apps) is not None else pos
            stage = job.active[-1] if state == "hired" else job.active[pos]
        reason = None
        if state == "rejected":
            reason = 3 if scenario == 2 else 4 if scenario == 5 else rng.randrange(self.n_reasons)
        decided = None
        if state in ("hired", "rejected", "withdrawn"):
            decided = max(created + HOUR, min(created + rng.randint(2, 60) * DAY + rng.randrange(DAY), EPOCH_MS - HOUR))
        updated = max(created, min(created + rng.randrange(20 * DAY), EPOCH_MS - HOUR)) if decided is None else decided
        return AppFacts(job_i, cand, created, state, stage, decided, reason, scenario, updated)

    def _application(self, i: int) -> Record:
        rng = self.rng("applications", i)
        facts = self._facts(i, rng)
        cand = self.remote_id("candidates", facts.cand)
        return self.make_application(rng, self.remote_id("applications", i), cand, facts)

    def make_application(self, rng: random.Random, rid: str, cand_rid: str, f: AppFacts) -> Record:
        job = self.jobs()[f.job]
        rec: Record = {
            "id": rid, "candidateId": cand_rid, "jobId": job.rid, "stage": self.stage_ref(job, f.stage),
            "state": f.state, "answers": self.answers(rng, job, f.created),
            "customFields": {"expectedStartInWeeks": rng.choice((2, 4, 8, 12))},
            "url": f"{BASE_URL}/applications/{rid}", "created_at": f.created, "updated_at": f.updated,
        }  # fmt: skip
        if f.state == "rejected" and f.reason is not None:
            rec["rejection"] = {"reasonId": self.remote_id("rejection_reasons", f.reason),
                                "reason": REJECTION_REASONS[f.reason][0], "rejectedAt": f.decided}  # fmt: skip
        elif f.state == "withdrawn":
            rec["withdrawal"] = {"reason": rng.choice(WITHDRAWAL_REASONS), "withdrawnAt": f.decided}
        elif f.state == "hired":
            rec["hiredAt"] = f.decided
        return rec

    def answers(self, rng: random.Random, job: JobInfo, created: int) -> list[Record]:
        """Answers to the job's questions; conditional ones only when their precondition holds."""
        out: list[Record] = []
        given: dict[str, Any] = {}
        for q in job.record["questions"]:
            kind, cond = q["kind"], q.get("showIf")
            if kind in ("file", "info") or (cond is not None and given.get(cond["questionId"]) not in cond["values"]):
                continue
            if not q["required"] and rng.random() < 0.2:
                continue
            value = self._answer(rng, q, created)
            given[q["id"]] = value["id"] if isinstance(value, dict) and "id" in value else value
            out.append({"questionId": q["id"], "question": q["label"], "kind": kind, "value": value})
        return out

    def _answer(self, rng: random.Random, q: Record, created: int) -> Any:
        """One answer in the vendor's shape; ``rng.random()`` indexing keeps this hot path cheap."""
        kind, r = q["kind"], rng.random
        if kind == "short_text":
            if q["slug"] == "referrer":
                return " ".join(self.candidate_name(int(r() * (1 << 30))))
            if q["slug"] == "visa":
                return _VISAS[int(r() * len(_VISAS))]
            titles = DEPARTMENTS[int(r() * len(DEPARTMENTS))][4]
            return titles[int(r() * len(titles))]
        if kind == "long_text":
            return _MOTIVATIONS[int(r() * len(_MOTIVATIONS))]
        if kind == "email":
            return f"{('me', 'hello', 'jobs')[int(r() * 3)]}{int(r() * 10**5)}@example.net"
        if kind == "url":
            return f"https://www.linkedin.com/in/applicant-{int(r() * 10**7)}"
        if kind in ("number", "slider"):
            low, high = q["min"], min(q["max"], 12 if kind == "number" else q["max"])
            return float(low + int(r() * (high - low + 1)))
        options = q.get(_O)
        if kind in ("dropdown", "radio") and options:
            return dict(options[int(r() * len(options))])
        if kind == "checkboxes" and options:
            first = int(r() * len(options))
            second = int(r() * len(options)) if r() < 0.5 else first
            return [dict(options[p]) for p in sorted({first, second})]
        if kind == "yes_no":
            return r() < 0.3
        if kind == "date":
            return iso_date(created + (14 + int(r() * 77)) * DAY)
        return {"accepted": True, "signedAt": created, "ipAddress": f"203.0.113.{1 + int(r() * 254)}"}

    # ------------------------------------------------------------------------------ application children
    def _interview(self, k: int) -> Record:
        app, pos = INTERVIEWS.parent(k)
        f = self.facts(app)
        job = self.jobs()[f.job]
        act = job.active
        upto = min(act.index(f.stage), len(act) - 3)
        eligible = act[1 : upto + 1] or act[:1]
        rng = self.rng("interviews", k)
        start = f.created + (pos + 1) * rng.randint(2, 8) * DAY
        stage = eligible[min(pos, len(eligible) - 1)]
        rec = self.make_interview(rng, self.remote_id("interviews", k), self.remote_id("applications", app), job,
                                  stage, self.candidate_name(f.cand), start)  # fmt: skip
        rec["created_at"] = max(f.created + HOUR, min(start - rng.randint(1, 5) * DAY, EPOCH_MS - 2 * HOUR))
        done = rec["endsAt"] if rec["status"] == "completed" else rec["created_at"]
        rec["updated_at"] = max(rec["created_at"], min(done, EPOCH_MS - HOUR))
        return rec

    def make_interview(self, rng: random.Random, rid: str, app_rid: str, job: JobInfo, stage: int,
                       name: tuple[str, str], start: int) -> Record:  # fmt: skip
        start = start - start % DAY + rng.randint(8, 16) * HOUR + rng.choice((0, 30)) * 60_000
        end = start + rng.choice((30, 45, 60, 90)) * 60_000
        fmt = _weighted(rng, ("video", "onsite", "phone"), (6, 9, 10))
        status = "cancelled" if rng.random() < 0.1 else "completed" if end < EPOCH_MS else "scheduled"
        panel = rng.sample(job.interviewers, rng.randint(1, min(3, len(job.interviewers))))
        if rng.random() < 0.15:
            panel.append(rng.randrange(self.n_users))
        letters = "".join(rng.choices("abcdefghijkmnopqrstuvwxyz", k=10))
        return {
            "id": rid, "applicationId": app_rid, "stageId": self.stage_ref(job, stage)["id"],
            "title": f"{job.stages[stage][0]}: {name[0]} {name[1]}", "startsAt": start, "endsAt": end,
            "format": fmt, "status": status,
            "interviewerIds": list(dict.fromkeys(self.remote_id("users", u) for u in panel)),
            "meetingUrl": f"https://meet.sandbox-ats.example/{letters[:3]}-{letters[3:7]}-{letters[7:]}"
            if fmt == "video" else None,
            "room": {"name": rng.choice(_ROOMS), "address": dict(job.record["location"])} if fmt == "onsite" else None,
            "created_at": start, "updated_at": start,
        }  # fmt: skip

    def _offer(self, k: int) -> Record:
        app, pos = OFFERS.parent(k)
        f = self.facts(app)
        last = pos == len(OFFERS.children(app, self.n_apps)) - 1
        status = OFFER_SCENARIOS[f.scenario or 0][1] if last else "superseded"
        rng = self.rng("offers", k)
        ceiling = (f.decided or EPOCH_MS) - HOUR
        created = max(f.created + HOUR, min(f.created + (pos + 1) * rng.randint(8, 20) * DAY, ceiling))
        rec = self.make_offer(rng, self.remote_id("offers", k), self.remote_id("applications", app),
                              self.jobs()[f.job], status, created)  # fmt: skip
        rec["updated_at"] = max(created, min(created + rng.randrange(5 * DAY), EPOCH_MS - HOUR))
        return rec

    def make_offer(self, rng: random.Random, rid: str, app_rid: str, job: JobInfo, status: str, created: int) -> Record:
        salary = job.record["salary"]
        pay = None
        if salary is not None:
            digits = 2 if salary["interval"] == "hourly" else -2
            pay = {"base": round(rng.uniform(salary["min"], salary["max"]), digits),
                   "currency": salary["currency"], "interval": salary["interval"],
                   "signOnBonus": rng.choice((0, 0, 2500, 5000))}  # fmt: skip
        return {"id": rid, "applicationId": app_rid, "status": status,
                "startDate": iso_date(created + rng.randint(21, 75) * DAY), "compensation": pay,
                "created_at": created, "updated_at": created}  # fmt: skip

    def _note(self, k: int) -> Record:
        app, _ = NOTES.parent(k)
        f = self.facts(app)
        app_rid = None if k % 4 == 3 else self.remote_id("applications", app)
        rng = self.rng("notes", k)
        created = max(f.created, min(f.created + rng.randrange(30 * DAY), EPOCH_MS - HOUR))
        return self.make_note(rng, self.remote_id("notes", k), self.remote_id("candidates", f.cand),
                              self.candidate_name(f.cand)[0], app_rid, created)  # fmt: skip

    def make_note(self, rng: random.Random, rid: str, cand_rid: str, first: str, app_rid: str | None,
                  created: int) -> Record:  # fmt: skip
        subject, body = rng.choice(_NOTES)
        return {"id": rid, "candidateId": cand_rid, "applicationId": app_rid,
                "authorId": self.remote_id("users", rng.randrange(self.n_users)), "subject": subject,
                "body": f"<p>{body.format(first=first)}</p>",
                "visibility": "private" if rng.random() < 0.25 else rng.choice(("team", "everyone")),
                "created_at": created, "updated_at": created}  # fmt: skip

    def _scorecard(self, k: int) -> Record:
        int_k = SCORECARDS.parent(k)[0]
        interview, f = self._interview(int_k), self.facts(INTERVIEWS.parent(int_k)[0])
        rng = self.rng("scorecards", k)
        created = max(f.created, min(interview["endsAt"] + rng.randint(1, 48) * HOUR, EPOCH_MS - HOUR))
        return self.make_scorecard(rng, self.remote_id("scorecards", k), interview,
                                   self.remote_id("candidates", f.cand), created)  # fmt: skip

    def make_scorecard(self, rng: random.Random, rid: str, interview: Record, cand_rid: str, created: int) -> Record:
        answers: list[Record] = []
        for qid, label, qtype, required, names in SCORECARD_FORM:
            opts = [{"id": f"{qid}_o{n + 1}", "label": name} for n, name in enumerate(names)]
            value: Any = None
            if required or rng.random() < 0.8:
                value = self._score(rng, qtype, opts, created)
            answer: Record = {"id": qid, "label": label, "type": qtype, "required": required, "value": value}
            if opts:
                answer[_O] = opts
            answers.append(answer)
        return {"id": rid, "interviewId": interview["id"], "applicationId": interview["applicationId"],
                "candidateId": cand_rid, "submittedBy": interview["interviewerIds"][0], "answers": answers,
                "created_at": created, "updated_at": created}  # fmt: skip

    def _score(self, rng: random.Random, qtype: str, opts: list[Record], created: int) -> Any:
        if qtype == "single":
            return dict(rng.choice(opts))
        if qtype == "multi":
            return [dict(opts[p]) for p in sorted(rng.sample(range(len(opts)), 2))]
        if qtype == "paragraph":
            return rng.choice(_FEEDBACK)
        if qtype == "yes_no":
            return rng.random() < 0.6
        if qtype == "rating":
            return rng.randint(1, 5)
        return iso_date(created + rng.randint(3, 20) * DAY)

    def _attachment(self, k: int) -> Record:
        rng, rid = self.rng("attachments", k), self.remote_id("attachments", k)
        if k < self.n_cands:
            return self.make_attachment(rng, rid, self.remote_id("candidates", k), self.candidate_name(k), None,
                                        "resume", self.cand_created(k))  # fmt: skip
        app, pos = APP_ATTACHMENTS.parent(k - self.n_cands)
        f = self.facts(app)
        category = "cover_letter" if pos == 0 else rng.choice(("portfolio", "other"))
        return self.make_attachment(rng, rid, self.remote_id("candidates", f.cand), self.candidate_name(f.cand),
                                    self.remote_id("applications", app), category, f.created)  # fmt: skip

    def make_attachment(self, rng: random.Random, rid: str, cand_rid: str, name: tuple[str, str],
                        app_rid: str | None, category: str, created: int) -> Record:  # fmt: skip
        first, last = ascii_name(name[0]), ascii_name(name[1])
        ext = ".txt" if category == "other" or (category == "cover_letter" and rng.random() < 0.4) else ".pdf"
        stem = {"resume": f"{first}_{last}_CV", "cover_letter": f"Cover_Letter_{first}_{last}",
                "portfolio": f"Portfolio_{last}"}.get(category, rng.choice(("References", "Certificates")))  # fmt: skip
        return {"id": rid, "candidateId": cand_rid, "applicationId": app_rid, "category": category,
                "fileName": stem + ext, "mimeType": "application/pdf" if ext == ".pdf" else "text/plain",
                "sizeBytes": rng.randint(20_000, 900_000), "created_at": created, "updated_at": created}  # fmt: skip


@lru_cache(maxsize=16)
def sandbox(seed: int, size: str | int) -> SandboxATS:
    """Shared generators: the job table is built once per (seed, size), not once per sync or simulation."""
    return SandboxATS(seed, size)
