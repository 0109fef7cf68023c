"""Partition contexts, and the request parameters a single read carries in its context."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: Context key of a read's own request parameters: a member's `start` filter, a pass's
#: status or date window. They travel with the read's requests (the SDK hands the context
#: to every request hook) instead of living on the stream, which reads every partition.
READ_PARAMS_KEY = "read_params"


def with_read_params(context: Context, params: t.Mapping[str, t.Any] | None) -> Context:
    """`context` whose requests also send `params` (the context itself when there are none)."""
    return {**context, READ_PARAMS_KEY: dict(params)} if params else context


def read_params(context: Context | None) -> dict[str, t.Any]:
    """The read's own request parameters carried by `context` (see READ_PARAMS_KEY)."""
    return dict(context.get(READ_PARAMS_KEY) or {}) if context else {}


def partition_of(context: Context | None) -> Context | None:
    """The partition `context` reads, without the read's own request parameters."""
    if context is None or READ_PARAMS_KEY not in context:
        return context
    return {key: value for key, value in context.items() if key != READ_PARAMS_KEY}
