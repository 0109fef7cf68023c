"""The seeded world beyond time tracking: time off, approvals, scheduling, expenses,
invoices, member profiles and the audit log.

Pure declarations, like :mod:`tests.emulator.seed`, read by
:mod:`tests.emulator.dataset_more`. Dates are offsets in days from ``now`` so the data
moves with the dataset's anchor.
"""

from __future__ import annotations

from dataclasses import dataclass

from .seed import HIDDEN, MAIN, SECOND, TINY

#: Own random stream, so adding these records never shifts an id of the core data.
SEED_MORE = 20240401


@dataclass(frozen=True)
class HolidaySpec:
    """A holiday: ``month_day`` of the current year, or ``days_from_now`` when one-off."""

    name: str
    month_day: str | None = None
    days_from_now: int = 0
    length_days: int = 1
    annual: bool = True
    everyone: bool = True
    members: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    time_entries_on: str | None = None  # project that automatic time entries go to


HOLIDAYS: dict[str, tuple[HolidaySpec, ...]] = {
    MAIN: (
        HolidaySpec("New Year's Day", "01-01"),
        HolidaySpec("Midsommarafton 🌼", "06-19", everyone=False, members=("zoe", "renee")),
        HolidaySpec(
            "Company offsite — Lisboa",
            days_from_now=40,
            length_days=3,
            annual=False,
            everyone=False,
            groups=("Engineering",),
            time_entries_on="Internal — R&D",
        ),
    ),
    SECOND: (
        HolidaySpec("Fête nationale 🇫🇷", "07-14"),
        HolidaySpec("Tag der Deutschen Einheit", "10-03", time_entries_on="Motion Graphics"),
    ),
    TINY: (),
    HIDDEN: (HolidaySpec("Classified day", "03-14"),),
}


@dataclass(frozen=True)
class PolicySpec:
    """A time-off policy and how often each member asks for it."""

    name: str
    unit: str  # DAYS or HOURS
    icon: str
    color: str
    archived: bool = False
    half_day: bool = False
    negative: bool = False
    approval: bool = True
    approvers: tuple[str, ...] = ()  # specific approvers; empty: team managers
    accrual: float | None = None  # per month, in the policy's unit
    time_entries_on: str | None = None
    weight: int = 1  # share of the workspace's requests


POLICIES: dict[str, tuple[PolicySpec, ...]] = {
    MAIN: (
        PolicySpec(
            "Vacation 🏖️", "DAYS", "UMBRELLA", "#03A9F4", half_day=True, accrual=2.08, weight=5
        ),
        PolicySpec("Sick leave", "DAYS", "STETHOSCOPE", "#E91E63", approval=False, weight=3),
        PolicySpec(
            "Comp time ⏱",
            "HOURS",
            "CALENDAR",
            "#8BC34A",
            negative=True,
            time_entries_on="Internal — R&D",
            weight=2,
        ),
        PolicySpec("Sabbatical (2019 plan)", "DAYS", "PLANE", "#795548", archived=True),
    ),
    SECOND: (
        PolicySpec("Congés payés", "DAYS", "LUGGAGE", "#FF9800", approvers=("zoe",), weight=3),
        PolicySpec("Récupération — ancien", "HOURS", "FAMILY", "#607D8B", archived=True),
    ),
    TINY: (PolicySpec("Time off", "DAYS", "CALENDAR", "#9E9E9E", weight=1),),
    HIDDEN: (),
}

#: Time-off requests per member: MAIN has more than 200, so the default page size of
#: POST /time-off/requests (at most 200) takes two pages.
TIME_OFF_REQUESTS: dict[str, dict[str, int]] = {
    MAIN: {"zoe": 70, "lilei": 50, "renee": 50, "oskar": 40, "jose": 30},
    SECOND: {"zoe": 8, "renee": 10, "dmitri": 12, "olafur": 6, "kenji": 4},
    TINY: {"sam": 3},
    HIDDEN: {},
}

TIME_OFF_NOTES = (
    None,
    "Family trip ✈️",
    "Doctor's appointment",
    "Umzug — neue Wohnung",
    "休假",
    "",
)

#: Scheduling: who is planned where, as (person, project, first day, last day) with days
#: counted from today (negative: past). Long assignments span several read windows.
ASSIGNMENTS: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    MAIN: (
        ("zoe", "Data Pipeline", -300, -280),
        ("zoe", "Dashboard Redesign ✨", -120, 80),  # ~200 days: spans windows
        ("zoe", "Internal — R&D", -20, -16),
        ("zoe", "Data Pipeline", 10, 40),
        ("zoe", "Internal — R&D", 330, 360),
        ("lilei", "Data Pipeline", -200, -150),
        ("lilei", "Data Pipeline", -5, 25),
        ("lilei", "Data Pipeline", 60, 95),  # crosses a window boundary
        ("renee", "Dashboard Redesign ✨", -90, -60),
        ("renee", "Dashboard Redesign ✨", 1, 1),
        ("renee", "Internal — R&D", 150, 200),
        ("jose", "Dashboard Redesign ✨", -30, 10),
        ("oskar", "Legacy Migration 2019", -340, -330),  # archived project
        # Outside the default range (a year back, a year ahead): never read by default.
        ("zoe", "Data Pipeline", -600, -590),
        ("lilei", "Data Pipeline", 500, 520),
    ),
    SECOND: (
        ("dmitri", "Brand Refresh 🎨", -60, -30),
        ("dmitri", "Motion Graphics", 0, 45),
        ("renee", "Motion Graphics", -10, 100),
        ("zoe", "Brand Refresh 🎨", 20, 22),
        ("kenji", "Brand Refresh 🎨", -3, 3),
    ),
    TINY: (),
    HIDDEN: (("mallory", "Project X", 0, 5),),
}

ASSIGNMENT_NOTES = (None, "Kick-off week 🚀", "Remote", "Vor Ort beim Kunden", "")


@dataclass(frozen=True)
class CategorySpec:
    """An expense category; ``price`` in cents per ``unit`` when it has a unit price."""

    name: str
    unit: str
    price: int | None
    archived: bool = False


CATEGORIES: dict[str, tuple[CategorySpec, ...]] = {
    MAIN: (
        CategorySpec("Travel ✈️", "km", 45),
        CategorySpec("Meals & per diem", "day", None),
        CategorySpec("Software licences", "seat", 1999),
        CategorySpec("Hardware (retired)", "piece", None, archived=True),
    ),
    SECOND: (
        CategorySpec("Matériel", "pièce", None),
        CategorySpec("Transport 🚆", "Fahrt", 350),
        CategorySpec("Alt — archiviert", "Stück", 100, archived=True),
    ),
    TINY: (),
    HIDDEN: (CategorySpec("Secrets", "piece", None),),
}

#: Expenses per member over the last two years.
EXPENSES: dict[str, dict[str, int]] = {
    MAIN: {"zoe": 16, "lilei": 10, "renee": 8, "jose": 6},
    SECOND: {"dmitri": 6, "renee": 4},
    TINY: {},
    HIDDEN: {"mallory": 1},
}

EXPENSE_NOTES = (None, "Taxi to the airport 🚕", "Team lunch", "Abo — Jahreslizenz", "")


@dataclass(frozen=True)
class InvoiceSpec:
    """An invoice to a client: items as (description, quantity, unit price in cents)."""

    client: str
    status: str  # UNSENT, SENT, PAID, PARTIALLY_PAID, VOID, OVERDUE
    issued_days_ago: int
    items: tuple[tuple[str, int, int], ...]
    tax_percent: float = 0.0
    discount_percent: float = 0.0
    payments: int = 0


INVOICES: dict[str, tuple[InvoiceSpec, ...]] = {
    MAIN: (
        InvoiceSpec("Globex Corporation", "PAID", 400, (("ETL jobs — Q1", 120, 15000),), 20, 0, 2),
        InvoiceSpec(
            "Initech",
            "PARTIALLY_PAID",
            90,
            (("Dashboard design", 40, 12000), ("Hosting 🖥️", 1, 4999)),
            8.5,
            5,
            1,
        ),
        InvoiceSpec("Société Ünïcode SA", "SENT", 20, (("Conseil — atelier", 16, 11000),), 20),
        InvoiceSpec("Globex Corporation", "OVERDUE", 75, (("On-call support", 10, 9000),)),
        InvoiceSpec("Initech", "UNSENT", 2, (("Implementation", 24, 12000),), 8.5),
        InvoiceSpec("Umbrella Corp", "VOID", 800, (("Legacy cutover", 30, 10000),)),
        InvoiceSpec(
            "Globex Corporation",
            "PAID",
            200,
            (("Schema design", 12, 15000), ("Travel", 1, 35050), ("Licences", 3, 1999)),
            20,
            10,
            3,
        ),
    ),
    SECOND: (
        InvoiceSpec("Ærø Design ApS", "PAID", 150, (("Logo — Entwurf", 30, 9000),), 19, 0, 2),
        InvoiceSpec("Café Ñandú", "UNSENT", 5, (("Storyboard ☕", 8, 8000),), 19),
    ),
    TINY: (),
    HIDDEN: (InvoiceSpec("Classified Client", "SENT", 10, (("Project X", 1, 100000),)),),
}

#: Work capacity per person as an ISO duration (member profiles); default PT8H.
WORK_CAPACITY = {"lilei": "PT7H30M", "jose": "PT4H", "kenji": "PT6H", "renee": "PT8H"}
#: People whose week starts on Sunday and who work a non-standard week.
SUNDAY_WEEK = frozenset({"lilei"})
PART_TIME_DAYS = {"jose": ("MONDAY", "TUESDAY", "WEDNESDAY"), "kenji": ("SATURDAY", "SUNDAY")}

#: Only Enterprise workspaces have an audit log; others answer 403 with this message.
#: Unverified: no probe captured a non-Enterprise answer, so the emulator uses the 403
#: body Clockify sends for a missing permission, worded for the feature.
AUDIT_LOG_UNAVAILABLE = "Audit log is available only on the Enterprise plan"
AUDIT_ENTRIES = {MAIN: 120, HIDDEN: 5}
