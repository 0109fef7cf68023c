"""Clockify streams, grouped by domain; `STREAM_TYPES` is the order discovery lists them in."""

from tap_clockify.streams.approvals import ApprovalRequestsStream
from tap_clockify.streams.audit_log import AuditLogStream
from tap_clockify.streams.deleted_records import DeletedRecordsStream
from tap_clockify.streams.expenses import ExpenseCategoriesStream, ExpensesStream
from tap_clockify.streams.invoices import InvoicePaymentsStream, InvoicesStream
from tap_clockify.streams.member_profiles import MemberProfilesStream
from tap_clockify.streams.reports import (
    AttendanceReportStream,
    DetailedReportStream,
    ExpenseReportStream,
    SummaryReportStream,
)
from tap_clockify.streams.scheduling import SchedulingAssignmentsStream
from tap_clockify.streams.time_entries import TimeEntriesStream
from tap_clockify.streams.time_off import (
    HolidaysStream,
    TimeOffBalancesStream,
    TimeOffPoliciesStream,
    TimeOffRequestsStream,
)
from tap_clockify.streams.workspace import (
    ClientsStream,
    CustomFieldsStream,
    ProjectsStream,
    TagsStream,
    TasksStream,
    UserGroupsStream,
    UsersStream,
    WorkspacesStream,
)

STREAM_TYPES = [
    WorkspacesStream,
    UsersStream,
    UserGroupsStream,
    ClientsStream,
    ProjectsStream,
    TasksStream,
    TagsStream,
    CustomFieldsStream,
    TimeEntriesStream,
    DeletedRecordsStream,
    HolidaysStream,
    TimeOffPoliciesStream,
    TimeOffRequestsStream,
    TimeOffBalancesStream,
    ApprovalRequestsStream,
    SchedulingAssignmentsStream,
    ExpensesStream,
    ExpenseCategoriesStream,
    InvoicesStream,
    InvoicePaymentsStream,
    MemberProfilesStream,
    AuditLogStream,
    DetailedReportStream,
    SummaryReportStream,
    AttendanceReportStream,
    ExpenseReportStream,
]

__all__ = ["STREAM_TYPES"]
