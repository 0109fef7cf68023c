"""The seeded world: who works where, on what, and what they logged.

Pure declarations, read by :mod:`tests.emulator.dataset` to build API-shaped records.
Workspace names are keys; people are referred to by a short handle. Entry history is
described as eras of "n completed entries between d1 and d2 days ago", so the data moves
with the ``now`` the dataset is built for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEED = 20190107

MAIN = "Acme Analytics"
SECOND = "Ünïcødé Studio 🎨"
TINY = "Tiny Co"
HIDDEN = "Secret Labs"


@dataclass(frozen=True)
class Person:
    """A Clockify account (one id across every workspace it belongs to)."""

    name: str
    email: str
    account: str = "ACTIVE"  # AccountStatus: ACTIVE, LIMITED, NOT_REGISTERED, ...
    time_zone: str | None = "Etc/UTC"  # None: the account has no settings (``null``)


@dataclass(frozen=True)
class Era:
    """``count`` completed entries on distinct days between ``oldest`` and ``newest`` days ago."""

    count: int
    oldest: int
    newest: int


@dataclass(frozen=True)
class Member:
    """A person's membership in one workspace and the history they logged there."""

    person: str
    status: str = "ACTIVE"  # membership status: ACTIVE, INACTIVE, PENDING, DECLINED
    hourly: int = 10000  # cents
    cost: int = 5000  # cents
    eras: tuple[Era, ...] = ()
    roles: tuple[str, ...] = ()


PEOPLE: dict[str, Person] = {
    "zoe": Person("Zoë Ångström", "zoe.angstrom@acme.example", time_zone="Europe/Stockholm"),
    "lilei": Person("李雷", "li.lei@acme.example", time_zone="Asia/Shanghai"),
    "renee": Person("Renée 🚀", "renee@acme.example", time_zone=None),
    "oskar": Person("Oskar Øberg", "oskar.oberg@acme.example"),
    "priya": Person("Priya Natarajan", "priya.n@acme.example", "NOT_REGISTERED", None),
    "jose": Person("José Müller", "jose.kiosk@acme.example", "LIMITED"),
    "dmitri": Person("Дмитрий Иванов", "dmitri@studio.example", time_zone="Europe/Berlin"),
    "olafur": Person("Ólafur Þórsson", "olafur@studio.example"),
    "segolene": Person("Ségolène Dubois", "segolene@studio.example", "NOT_REGISTERED", None),
    "kenji": Person("健二 Kenji", "kenji.kiosk@studio.example", "LIMITED"),
    "sam": Person("Sam Small", "sam@tiny.example"),
    "dee": Person("Dee Klein", "dee@tiny.example", "NOT_REGISTERED", None),
    "mallory": Person("Mallory Hidden", "mallory@secret.example"),
}

#: Owner of the emulator's API key; member of all three visible workspaces.
KEY_OWNER = "zoe"

MEMBERS: dict[str, tuple[Member, ...]] = {
    MAIN: (
        # 150 entries: three full pages at the default page-size of 50.
        Member(
            "zoe",
            hourly=15000,
            cost=7000,
            roles=("OWNER",),
            eras=(Era(40, 2555, 1461), Era(50, 1460, 366), Era(45, 365, 31), Era(14, 30, 1)),
        ),
        Member("lilei", hourly=12000, eras=(Era(10, 1800, 366), Era(22, 365, 31), Era(7, 30, 1))),
        Member("renee", hourly=11000, eras=(Era(12, 2000, 366), Era(12, 365, 31), Era(4, 30, 1))),
        # Deactivated about three years ago; history stays visible.
        Member("oskar", status="INACTIVE", eras=(Era(25, 2555, 1100),)),
        Member("priya", status="PENDING"),
        Member("jose", hourly=0, cost=3000, eras=(Era(6, 365, 31), Era(4, 30, 1))),
    ),
    SECOND: (
        Member(
            "zoe", hourly=9000, roles=("WORKSPACE_ADMIN",), eras=(Era(6, 900, 31), Era(6, 30, 1))
        ),
        Member("renee", hourly=9500, eras=(Era(10, 1200, 31), Era(10, 30, 1))),
        Member("dmitri", hourly=8000, eras=(Era(12, 1500, 31), Era(12, 30, 2))),
        Member("olafur", status="INACTIVE", eras=(Era(15, 2400, 800),)),
        Member("segolene", status="PENDING"),
        Member("kenji", hourly=0, cost=2500, eras=(Era(5, 200, 31), Era(3, 30, 1))),
    ),
    TINY: (
        Member("zoe", hourly=5000, roles=("OWNER",), eras=(Era(5, 400, 1),)),
        Member("sam", hourly=4000, eras=(Era(6, 700, 1),)),
        Member("dee", status="DECLINED"),
    ),
    HIDDEN: (Member("mallory", roles=("OWNER",), eras=(Era(3, 100, 1),)),),
}


@dataclass(frozen=True)
class WorkspaceSpec:
    """Workspace-level facts that differ between the seeded workspaces."""

    name: str
    currency: str
    plan: str
    subdomain: tuple[bool, str]
    image: str
    locked_after_days: int | None  # entries older than this are locked


WORKSPACES = (
    WorkspaceSpec(
        MAIN,
        "USD",
        "ENTERPRISE_2021",  # the only visible workspace with an audit log
        (False, "acme-analytics"),
        "https://img.clockify.me/2019-01-07/acme.png",
        365,
    ),
    WorkspaceSpec(
        SECOND,
        "EUR",
        "STANDARD_2021",
        (True, "unicode-studio"),
        "https://img.clockify.me/2020-03-01/studio.png",
        None,
    ),
    WorkspaceSpec(TINY, "USD", "FREE", (False, "tiny-co"), "", None),
    WorkspaceSpec(HIDDEN, "USD", "ENTERPRISE_2021", (False, "secret-labs"), "", None),
)

# Clients: (name, archived, has contact details)
CLIENTS: dict[str, tuple[tuple[str, bool, bool], ...]] = {
    MAIN: (
        ("Globex Corporation", False, True),
        ("Initech", False, False),
        ("Société Ünïcode SA", False, True),
        ("Umbrella Corp", True, False),
    ),
    SECOND: (
        ("Ærø Design ApS", False, True),
        ("Café Ñandú", False, False),
        ("Zürich Studio GmbH", True, False),
    ),
    TINY: (("Solo Client", False, False),),
    HIDDEN: (("Classified Client", False, True),),
}


@dataclass(frozen=True)
class ProjectSpec:
    """A project and its tasks: (task name, status, billable)."""

    name: str
    client: str | None
    members: tuple[str, ...]
    tasks: tuple[tuple[str, str, bool], ...] = ()
    archived: bool = False
    billable: bool = True
    public: bool = False
    color: str = "#03A9F4"
    duration_ms: bool = False  # serve ``duration`` as a milliseconds string
    budgeted: bool = False


PROJECTS: dict[str, tuple[ProjectSpec, ...]] = {
    MAIN: (
        ProjectSpec(
            "Dashboard Redesign ✨",
            "Initech",
            ("zoe", "renee", "jose"),
            (("Implementation", "ACTIVE", True), ("Wireframes", "DONE", True)),
            color="#E91E63",
            duration_ms=True,
        ),
        ProjectSpec(
            "Data Pipeline",
            "Globex Corporation",
            ("zoe", "lilei", "oskar"),
            (
                ("ETL jobs", "ACTIVE", True),
                ("On-call 🚨", "ACTIVE", False),
                ("Schema design", "DONE", True),
            ),
            color="#1E88E5",
            budgeted=True,
        ),
        ProjectSpec(
            "Internal — R&D",
            None,
            ("zoe",),
            billable=False,
            public=True,
            color="#9E9E9E",
        ),
        ProjectSpec(
            "Legacy Migration 2019",
            "Umbrella Corp",
            ("zoe", "oskar"),
            (("Cutover", "DONE", True),),
            archived=True,
            color="#795548",
        ),
    ),
    SECOND: (
        ProjectSpec(
            "Archive 2020",
            "Zürich Studio GmbH",
            ("olafur", "renee"),
            (("Export", "DONE", False),),
            archived=True,
            color="#607D8B",
        ),
        ProjectSpec(
            "Brand Refresh 🎨",
            "Ærø Design ApS",
            ("zoe", "renee", "dmitri", "kenji"),
            (("Logo — Entwurf", "ACTIVE", True), ("Typography", "DONE", True)),
            color="#FF9800",
            budgeted=True,
        ),
        ProjectSpec(
            "Motion Graphics",
            "Café Ñandú",
            ("dmitri", "olafur", "renee"),
            (("Storyboard", "ACTIVE", True),),
            color="#8BC34A",
        ),
    ),
    TINY: (
        ProjectSpec("Website", "Solo Client", ("zoe", "sam"), (("Landing page", "ACTIVE", True),)),
    ),
    HIDDEN: (ProjectSpec("Project X", "Classified Client", ("mallory",)),),
}

# Tags: (name, archived)
TAGS: dict[str, tuple[tuple[str, bool], ...]] = {
    MAIN: (
        ("billable-review", False),
        ("deep-work", False),
        ("legacy", True),
        ("meeting", False),
        ("urgent 🔥", False),
    ),
    SECOND: (("design", False), ("old", True), ("revisión", False), ("晚上", False)),
    TINY: (),
    HIDDEN: (("top-secret", False),),
}

# User groups: (name, members, team managers)
GROUPS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    MAIN: (
        ("Design ✏️", ("renee", "jose"), ()),
        ("Engineering", ("zoe", "lilei", "oskar"), ("zoe",)),
    ),
    SECOND: (("Artists 🎨", ("renee", "dmitri", "olafur"), ("zoe",)),),
    TINY: (),
    HIDDEN: (),
}


@dataclass(frozen=True)
class FieldSpec:
    """A custom field; ``choices`` are the values seeded on entries (TIMEENTRY fields)."""

    name: str
    type: str
    entity: str
    default: Any
    allowed: tuple[str, ...] = ()
    status: str = "VISIBLE"
    choices: tuple[Any, ...] = ()


# ``workspaceDefaultValue`` has no fixed type: string, number, list or null.
# Entry values are numbers, numeric strings, strings or null (docs/clockify.md, Quirks).
CUSTOM_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    MAIN: (
        FieldSpec(
            "Cost Center",
            "TXT",
            "TIMEENTRY",
            "CC-100",
            choices=("CC-100", "CC-200", "Ωmega-7", None),
        ),
        FieldSpec(
            "Story Points", "NUMBER", "TIMEENTRY", 0, choices=(1, 2, 3, 5, 8, 2.5, "13", None)
        ),
        FieldSpec("Region", "DROPDOWN_MULTIPLE", "USER", ["EMEA"], ("EMEA", "APAC", "Americas")),
        FieldSpec("Retired note", "TXT", "TIMEENTRY", None, status="INACTIVE"),
    ),
    SECOND: (
        FieldSpec("Budget hours", "NUMBER", "TIMEENTRY", 12.5, choices=(0.5, 4, "7.5", None)),
        FieldSpec("Skills", "DROPDOWN_MULTIPLE", "USER", [], ("Illustration", "Animation", "字体")),
        FieldSpec("Ŝtudio Nøte", "TXT", "TIMEENTRY", None, choices=("ok ✅", "révision", "", None)),
    ),
    TINY: (),
    HIDDEN: (),
}

DESCRIPTIONS = (
    "",
    "Code review",
    "Daily stand-up",
    "Customer call 📞",
    "Refactoring ETL",
    "Writing docs — ümlauts & ñ",
    "设计评审",
    "Bug triage",
    "Sprint planning",
    "Pair programming 👩‍💻",
    "Data quality checks",
    "Café meeting ☕",
    "Résumé screening",
)

FEATURES = (
    "ADD_TIME_FOR_OTHERS",
    "ADMIN_PANEL",
    "ALERTS",
    "APPROVAL",
    "AUDIT_LOG",
    "BULK_EDIT",
    "CUSTOM_FIELDS",
    "EXPENSES",
    "HISTORIC_RATES",
    "INVOICING",
    "PROJECT_BUDGET",
    "SCHEDULED_REPORTS",
    "TIME_OFF",
)
