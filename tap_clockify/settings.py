"""Settings of tap-clockify: their JSON schema, defaults, and the hosts they resolve to."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from singer_sdk import typing as th

from tap_clockify.changes import DEFAULT_FEED_REACH_DAYS

DEFAULT_API_URL = "https://api.clockify.me/api/v1"
DEFAULT_REPORTS_URL = "https://reports.api.clockify.me/v1"
# The audit log has one global host; no regional form is documented.
DEFAULT_AUDITLOG_URL = "https://auditlog-api.api.clockify.me/v1"

#: Clockify's regional server prefixes (EU, USA, UK, AU).
REGIONS = ("euc1", "use2", "euw2", "apse2")

#: Clockify documents 5000 as the largest page of every non-report list endpoint.
MAX_PAGE_SIZE = 5000
DEFAULT_LOOKBACK_DAYS = 14
#: How far back a first run without `start_date` reads where the API needs a start date
#: (scheduling, reports): a year. Past plans matter less than coming ones, and what
#: happened is in `time_entries`.
DEFAULT_HISTORY_DAYS = 365
#: Scheduling assignments: read a year ahead, in windows of a quarter (streams/scheduling.py).
DEFAULT_SCHEDULING_HORIZON_DAYS = 365
SCHEDULING_WINDOW_DAYS = 90
#: Numeric settings are whole numbers (Meltano 4.4 cannot take decimals from environment
#: variables), so durations are in whole seconds, or milliseconds where finer steps matter.
#: Clockify allows 50 requests/s per workspace on paid plans; the tap runs at that pace
#: and slows down by itself when Clockify answers 429 (tap_clockify/ratelimit.py).
DEFAULT_MAX_REQUESTS_PER_SECOND = 50
DEFAULT_REQUEST_TIMEOUT = 60
DEFAULT_MAX_RETRIES = 8
DEFAULT_RETRY_BACKOFF_MS = 1000
DEFAULT_MAX_RATE_LIMIT_WAIT = 600
#: Exponential backoff never waits longer than this between two attempts.
MAX_BACKOFF_SECONDS = 60.0

#: Report streams: Clockify caps one report's date range at 31 days on the Free plan and
#: 366 on paid plans, so the default window works everywhere.
DEFAULT_REPORT_WINDOW_DAYS = 31
MAX_REPORT_WINDOW_DAYS = 366
DEFAULT_REPORT_TIME_ZONE = "UTC"
#: Summary report grouping levels Clockify accepts (the spec's SummaryGroup; TAG is live).
SUMMARY_GROUPS = (
    "PROJECT", "CLIENT", "USER", "TAG", "TASK", "DATE", "WEEK", "MONTH", "TIMEENTRY",
)  # fmt: skip
MAX_SUMMARY_GROUPS = 3
DEFAULT_SUMMARY_GROUPS = ("PROJECT", "USER")
SUMMARY_GRAINS = ("day", "week", "month")
DEFAULT_SUMMARY_GRAIN = "day"

CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "api_key",
        th.StringType(min_length=1),
        required=True,
        secret=True,
        title="API key",
        description=(
            "Clockify API key (Profile settings → API). Sent as the X-Api-Key header; "
            "never logged. A subdomain workspace needs a key generated for that workspace."
        ),
    ),
    th.Property(
        "workspace_ids",
        th.ArrayType(th.StringType(min_length=1)),
        title="Workspace IDs",
        description=(
            "Workspaces to extract. Default: every workspace the API key can see. "
            "An id the key cannot see is a configuration error."
        ),
    ),
    th.Property(
        "region",
        th.StringType(allowed_values=list(REGIONS)),
        title="Region",
        description=(
            "Regional data centre of the workspace: euc1 (EU), use2 (USA), euw2 (UK) or "
            "apse2 (Australia). Sets the API to https://{region}.clockify.me/api/v1 and "
            "reports to https://{region}.clockify.me/report/v1. Leave empty for the "
            "global hosts."
        ),
    ),
    th.Property(
        "api_url",
        th.URIType,
        title="API base URL",
        description=(
            f"Override of the main API base URL (default {DEFAULT_API_URL}), e.g. for a "
            "subdomain workspace. Wins over `region`."
        ),
    ),
    th.Property(
        "reports_url",
        th.URIType,
        title="Reports base URL",
        description=(
            f"Override of the reports base URL (default {DEFAULT_REPORTS_URL}), e.g. "
            "https://{subdomain}.clockify.me/report/v1. Wins over `region`."
        ),
    ),
    th.Property(
        "auditlog_url",
        th.URIType,
        title="Audit log base URL",
        description=(
            f"Override of the audit-log base URL (default {DEFAULT_AUDITLOG_URL}); "
            "Clockify documents no regional audit-log host, so `region` leaves it alone."
        ),
    ),
    th.Property(
        "approval_requests_include_entries",
        th.BooleanType,
        default=False,
        title="Approval requests: include entries",
        description=(
            "Keep each approval request's `entries`: the full time entries of the "
            "approved period, already extracted by `time_entries` and most of a request's "
            "size. Off by default; the totals (tracked, billable, approved time, amounts) "
            "are always kept."
        ),
    ),
    th.Property(
        "scheduling_horizon_days",
        th.IntegerType(minimum=0, maximum=3660),
        default=DEFAULT_SCHEDULING_HORIZON_DAYS,
        title="Scheduling horizon (days)",
        description=(
            "Scheduling assignments are planned ahead: each run reads them from "
            "`start_date` (a year back when empty) to this many days after today, in "
            f"{SCHEDULING_WINDOW_DAYS}-day windows (one request each)."
        ),
    ),
    th.Property(
        "invoice_details",
        th.BooleanType,
        default=False,
        title="Invoice details",
        description=(
            "Add each invoice's items, taxes, discounts, subtotal and notes, which only "
            "GET /invoices/{id} returns: one extra API call per invoice on every run."
        ),
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        title="Start date",
        description=(
            "Earliest data to extract (ISO 8601, e.g. 2024-01-01T00:00:00Z): time entries, "
            "approvals, scheduling, the audit log and the reports start here. When empty: all "
            "time entries, and a year back for scheduling and reports."
        ),
    ),
    th.Property(
        "lookback_days",
        th.IntegerType(minimum=0, maximum=366),
        default=DEFAULT_LOOKBACK_DAYS,
        title="Lookback days",
        description=(
            "Time entries carry no modified timestamp: with change tracking off, or when "
            "the change feed fails, an incremental run re-reads entries that started up to "
            "this many days before the bookmark, catching recent edits and stopped timers. "
            "Costs no extra API calls, only re-emitted records (harmless upserts by key)."
        ),
    ),
    th.Property(
        "change_tracking",
        th.BooleanType,
        default=True,
        title="Change tracking",
        description=(
            "Read Clockify's entity-change feed on every run after the first: edits and "
            "deletions of time entries (however old), clients, projects, tags, tasks, user "
            "groups and users reach the loaded tables, and members' time entries are not "
            "re-read. Deleted rows get `_sdc_deleted_at` (docs/change-tracking.md). When the "
            "feed fails, the run warns and falls back to the lookback window."
        ),
    ),
    th.Property(
        "change_feed_reach_days",
        th.IntegerType(minimum=1, maximum=3650),
        default=DEFAULT_FEED_REACH_DAYS,
        title="Change feed reach (days)",
        description=(
            "How far back Clockify's change feed is trusted to reach (undocumented; it "
            "defaults to a 30-day window). A workspace whose last run is older is read in "
            "full instead, and only the deletions inside this reach are retired."
        ),
    ),
    th.Property(
        "page_size",
        th.IntegerType(minimum=1, maximum=MAX_PAGE_SIZE),
        default=MAX_PAGE_SIZE,
        title="Page size",
        description=(
            f"Records per page, at most {MAX_PAGE_SIZE} (Clockify's documented maximum). "
            "Endpoints with a lower documented cap use that cap instead."
        ),
    ),
    th.Property(
        "max_requests_per_second",
        th.IntegerType(minimum=1),
        default=DEFAULT_MAX_REQUESTS_PER_SECOND,
        title="Max requests per second",
        description=(
            "Most requests per second sent to one workspace. The default is Clockify's "
            "documented limit on paid plans; when Clockify answers 429 (free plans allow "
            "far fewer) the tap slows down by itself and speeds up again gradually. Set it "
            "lower to leave room for other clients that share the API key."
        ),
    ),
    th.Property(
        "log_metrics",
        th.BooleanType,
        default=False,
        title="Log SDK metrics",
        description=(
            "Also log the Singer SDK's METRIC lines (one per request and partition). Off by "
            "default: the tap logs its own progress lines and a summary per stream."
        ),
    ),
    th.Property(
        "request_timeout",
        th.IntegerType(minimum=1, maximum=3600),
        default=DEFAULT_REQUEST_TIMEOUT,
        title="Request timeout (seconds)",
        description="Seconds to wait for Clockify to answer one request before retrying it.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType(minimum=0, maximum=20),
        default=DEFAULT_MAX_RETRIES,
        title="Max retries",
        description=(
            "Retries of one request after a 429, a 5xx, a timeout, a dropped connection or "
            "a truncated body, before the sync fails."
        ),
    ),
    th.Property(
        "retry_backoff_ms",
        th.IntegerType(minimum=1, maximum=60_000),
        title="Retry backoff (milliseconds)",
        description=(
            f"First wait before a retry when Clockify sends no Retry-After (default "
            f"{DEFAULT_RETRY_BACKOFF_MS} ms); it doubles on each attempt (with jitter), up to "
            f"{MAX_BACKOFF_SECONDS:.0f} seconds. Replaces `retry_backoff_seconds`, which is still "
            "read when this is not set."
        ),
    ),
    th.Property(
        "max_rate_limit_wait_seconds",
        th.IntegerType(minimum=0, maximum=86_400),
        default=DEFAULT_MAX_RATE_LIMIT_WAIT,
        title="Max rate-limit wait (seconds)",
        description=(
            "Longest single wait a 429's Retry-After may ask for. New free workspaces get "
            "about 30 requests per hour; rather than hang for hours, the sync stops with a "
            "clear message when Clockify asks for a longer wait."
        ),
    ),
    th.Property(
        "report_window_days",
        th.IntegerType(minimum=1, maximum=MAX_REPORT_WINDOW_DAYS),
        default=DEFAULT_REPORT_WINDOW_DAYS,
        title="Report window days",
        description=(
            "Days of history one report request covers (detailed, attendance and expense "
            "reports; the summary report in whole periods). Clockify allows at most 31 days "
            "per report on the Free plan and 366 on paid plans; the default of 31 works on "
            "every plan. Larger windows cost fewer requests."
        ),
    ),
    th.Property(
        "report_time_zone",
        th.StringType(min_length=1),
        default=DEFAULT_REPORT_TIME_ZONE,
        title="Report time zone",
        description=(
            "IANA time zone (e.g. Europe/Berlin) sent to Clockify with every report: report "
            "days, windows and periods start at midnight in this zone, and report timestamps "
            "carry its offset."
        ),
    ),
    th.Property(
        "summary_report_groups",
        th.CustomType(
            {
                "type": "array",
                "items": {"type": "string", "enum": list(SUMMARY_GROUPS)},
                "minItems": 1,
                "maxItems": MAX_SUMMARY_GROUPS,
                "uniqueItems": True,
            },
        ),
        default=list(DEFAULT_SUMMARY_GROUPS),
        title="Summary report groups",
        description=(
            "Grouping levels of summary_report, outermost first: one to three of "
            f"{', '.join(SUMMARY_GROUPS)}. Each record is one leaf of the group tree (e.g. "
            "one project and user) in one period."
        ),
    ),
    th.Property(
        "summary_report_grain",
        th.StringType(allowed_values=list(SUMMARY_GRAINS)),
        default=DEFAULT_SUMMARY_GRAIN,
        title="Summary report grain",
        description=(
            "Period of one summary_report record: day, week (Monday to Sunday) or month. "
            "With fewer than three summary_report_groups, Clockify splits a whole report "
            "window into periods in one request; with three, the tap asks once per period."
        ),
    ),
).to_dict()


def retry_backoff_seconds(config: t.Mapping[str, t.Any]) -> float:
    """First retry wait in seconds: `retry_backoff_ms`, else the older `retry_backoff_seconds`."""
    if config.get("retry_backoff_ms") is not None:
        return int(config["retry_backoff_ms"]) / 1000
    if config.get("retry_backoff_seconds") is not None:
        return float(config["retry_backoff_seconds"])
    return DEFAULT_RETRY_BACKOFF_MS / 1000


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the three Clockify hosts a sync talks to."""

    api_url: str
    reports_url: str
    auditlog_url: str


def api_key(config: t.Mapping[str, t.Any]) -> str:
    """The `api_key` setting without surrounding whitespace.

    Keys read from files and secret stores often end in a newline, which no HTTP header
    may carry; the key itself never contains whitespace.
    """
    return str(config.get("api_key") or "").strip()


def resolve_endpoints(config: t.Mapping[str, t.Any]) -> Endpoints:
    """Return the base URLs for `config`: explicit URLs win over `region`, then the defaults."""
    region = config.get("region")
    api_url = f"https://{region}.clockify.me/api/v1" if region else DEFAULT_API_URL
    # Regional reports use the path form `/report/v1` (singular), not a `reports.` host.
    reports_url = f"https://{region}.clockify.me/report/v1" if region else DEFAULT_REPORTS_URL
    return Endpoints(
        api_url=(config.get("api_url") or api_url).rstrip("/"),
        reports_url=(config.get("reports_url") or reports_url).rstrip("/"),
        auditlog_url=(config.get("auditlog_url") or DEFAULT_AUDITLOG_URL).rstrip("/"),
    )
