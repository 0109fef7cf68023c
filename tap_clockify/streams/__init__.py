"""Clockify streams, grouped by domain; `STREAM_TYPES` is the order discovery lists them in."""

from tap_clockify.streams.time_entries import TimeEntriesStream
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
]

__all__ = ["STREAM_TYPES"]
