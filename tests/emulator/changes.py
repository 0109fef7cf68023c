"""The entity-change log: what the ``/entities/created|updated|deleted`` feeds serve.

Every mutation a test makes through the dataset's mutation methods (``edit_time_entry``,
``rename_project``, ``delete_tag``...) appends a :class:`ChangeEvent` here, stamped with
the emulator's :class:`Clock`. :meth:`ChangeLog.feed` answers one feed query with the
documented rules (docs/clockify.md, Entity changes):

* created and updated in one window: listed only under ``created``;
* created and deleted in one window: listed under neither;
* a deletion shows up ``deletion_delay`` (about a minute) after it happened.

Seeded records have no events: the feeds only know what changed after the start.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

Record = dict[str, Any]
Kind = Literal["created", "updated", "deleted"]

#: Entity types the feeds accept: the official list (8) plus those only the corrected
#: spec lists (USER, USER_GROUPS, ...). ``Emulator.feed_types`` narrows it.
ALL_TYPES = (
    "CLIENTS", "PROJECTS", "TAGS", "TASKS", "SCHEDULED_ASSIGNMENT", "TIME_ENTRY",
    "TIME_ENTRY_RATE", "TIME_ENTRY_CUSTOM_FIELD_VALUE", "USER", "USER_GROUPS", "INVOICES",
    "HOLIDAYS", "PTO_POLICY", "BALANCE", "APPROVAL_REQUESTS", "TIME_OFF_REQUEST",
    "CUSTOM_FIELDS",
)  # fmt: skip
OFFICIAL_TYPES = ALL_TYPES[:8]

#: Fields a "sparse" deleted document keeps besides ``_id`` and ``auditMetadata`` (the
#: live probe of a deleted project held only ``_id``, ``auditMetadata``, name, workspace).
SPARSE_FIELDS = ("name", "workspaceId", "userId", "projectId")

#: Creation time given to seeded records, which predate the change log.
SEEDED_CREATED_AT = datetime(2019, 1, 1, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """Audit timestamps as the feeds send them: UTC with milliseconds and ``Z``."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


class Clock:
    """The emulator's clock: real time shifted by ``shift``; tests move it with ``advance``.

    It stamps change events, decides when a deletion becomes visible and fills the
    ``Date`` response header, so a test can "wait a minute" without sleeping.
    """

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def now(self) -> datetime:
        """The emulator's current time (UTC, aware)."""
        return datetime.now(UTC) + self.shift

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        """Move the clock forward by ``delta`` or ``timedelta(**kwargs)``."""
        self.shift += delta if delta is not None else timedelta(**kwargs)


@dataclass
class ChangeEvent:
    """One create, update or delete of one entity, with the entity as it was then."""

    kind: Kind
    type: str
    workspace_id: str
    entity_id: str
    at: datetime
    document: Record


@dataclass
class FeedOptions:
    """How the emulated feeds answer where the sources disagree or are silent."""

    #: Seconds between a deletion and its appearance in the ``deleted`` feed.
    deletion_delay: timedelta = timedelta(minutes=1)
    #: "sparse" (as the live probe) or "full" (every field of the deleted entity).
    deleted_documents: Literal["sparse", "full"] = "sparse"
    #: Key naming the type in each item: ``documentCode`` (live) or ``documentType`` (guide).
    type_key: str = "documentCode"
    #: False: a bare array (live); True: ``{"response": [...]}`` (the official guide).
    envelope: bool = False
    #: True: ``limit`` is ignored and every page holds everything (as one probe saw).
    ignore_limit: bool = False
    #: The number of the first page: 0 (the documented default of ``page``) or 1.
    first_page: int = 0
    #: Types the server accepts; any other ``type`` is a 400.
    types: tuple[str, ...] = ALL_TYPES
    #: How far back the feeds reach (None: forever).
    retention: timedelta | None = None


@dataclass
class ChangeLog:
    """Events in the order they happened, and the creation time of every entity."""

    clock: Clock = field(default_factory=Clock)
    options: FeedOptions = field(default_factory=FeedOptions)
    events: list[ChangeEvent] = field(default_factory=list)
    created_at: dict[str, datetime] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def record(self, kind: Kind, type_: str, workspace_id: str, entity: Record) -> ChangeEvent:
        """Append an event for ``entity`` (copied) at the clock's current time."""
        with self.lock:
            at = self.clock.now()
            if kind == "created":
                self.created_at[entity["id"]] = at
            event = ChangeEvent(kind, type_, workspace_id, entity["id"], at, copy.deepcopy(entity))
            self.events.append(event)
            return event

    def feed(
        self,
        kind: Kind,
        workspace_id: str,
        types: set[str],
        start: datetime,
        end: datetime,
    ) -> list[Record]:
        """The items the ``kind`` feed lists for ``types`` in ``[start, end)``, oldest first."""
        with self.lock:
            now = self.clock.now()
            if self.options.retention is not None:
                start = max(start, now - self.options.retention)
            by_entity: dict[str, list[ChangeEvent]] = {}
            for event in self.events:
                if event.workspace_id == workspace_id and event.type in types:
                    by_entity.setdefault(event.entity_id, []).append(event)
            items = []
            for events in by_entity.values():
                item = self._item(kind, events, start, end, now)
                if item is not None:
                    items.append(item)
            return [document for _, document in sorted(items, key=lambda pair: pair[0])]

    def _item(
        self,
        kind: Kind,
        events: list[ChangeEvent],
        start: datetime,
        end: datetime,
        now: datetime,
    ) -> tuple[datetime, Record] | None:
        inside = [e for e in events if start <= e.at < end]
        created = any(e.kind == "created" for e in inside)
        deleted = next((e for e in reversed(inside) if e.kind == "deleted"), None)
        latest = events[-1]
        if kind == "created":
            if not created or deleted is not None:
                return None
            return latest.at, self._live_document(latest)
        if kind == "updated":
            updates = [e for e in inside if e.kind == "updated"]
            if not updates or created or deleted is not None or latest.kind == "deleted":
                return None
            return updates[-1].at, self._live_document(latest)
        if deleted is None or created or deleted.at + self.options.deletion_delay > now:
            return None
        return deleted.at, self._deleted_item(deleted)

    def _live_document(self, event: ChangeEvent) -> Record:
        """The full entity, its audit times and its type (as live: ``documentCode``)."""
        document = copy.deepcopy(event.document)
        document["auditMetadata"] = self._audit(event)
        document[self.options.type_key] = event.type
        return document

    def _deleted_item(self, event: ChangeEvent) -> Record:
        """``{id, deletedAt, documentCode, document{_id, ...}}`` of one deletion."""
        entity = event.document
        if self.options.deleted_documents == "full":
            document = {k: copy.deepcopy(v) for k, v in entity.items() if k != "id"}
        else:
            document = {k: entity[k] for k in SPARSE_FIELDS if k in entity}
        document = {"_id": entity["id"], **document, "auditMetadata": self._audit(event)}
        return {
            "id": f"d{entity['id'][1:]}",
            "deletedAt": stamp(event.at),
            self.options.type_key: event.type,
            "document": document,
        }

    def _audit(self, event: ChangeEvent) -> Record:
        created = self.created_at.get(event.entity_id, SEEDED_CREATED_AT)
        updated = max(
            (e.at for e in self.events if e.entity_id == event.entity_id and e.kind != "deleted"),
            default=created,
        )
        return {"createdAt": stamp(created), "updatedAt": stamp(updated)}
