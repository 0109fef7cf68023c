"""The emulator's entity-change feeds: the change log, the documented rules and forms."""

from __future__ import annotations

import typing as t
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import requests

from tests.emulator import Emulator
from tests.emulator.changes import OFFICIAL_TYPES


def feed(
    emulator: Emulator, kind: str, types: t.Sequence[str] = ("TIME_ENTRY",), **params: t.Any
) -> requests.Response:
    ws = emulator.data.main.id
    return requests.get(
        f"{emulator.api_url}/workspaces/{ws}/entities/{kind}",
        params={"type": list(types), **params},
        headers={"X-Api-Key": emulator.api_key},
        timeout=10,
    )


def ids(response: requests.Response) -> list[str]:
    body = response.json()
    items = body["response"] if isinstance(body, dict) else body
    return [item.get("document", {}).get("_id") or item["id"] for item in items]


def iso(moment: t.Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_edit_is_listed_as_updated_with_the_full_document(emulator: Emulator) -> None:
    data = emulator.data
    old = data.all_time_entries(data.main.id)[-1]  # the oldest entry
    data.edit_time_entry(data.main.id, old["id"], description="Edited long after")
    project = data.main.projects[0]
    data.rename_project(data.main.id, project["id"], "Renamed project")

    updated = feed(emulator, "updated", ("TIME_ENTRY", "PROJECTS")).json()

    assert [item["id"] for item in updated] == [old["id"], project["id"]]
    entry_doc = updated[0]
    assert entry_doc["documentCode"] == "TIME_ENTRY"
    assert set(entry_doc["auditMetadata"]) == {"createdAt", "updatedAt"}
    assert {k: v for k, v in entry_doc.items() if k not in ("auditMetadata", "documentCode")} == old
    assert updated[1]["name"] == "Renamed project"
    assert ids(feed(emulator, "created", ("TIME_ENTRY", "PROJECTS"))) == []


def test_created_then_updated_in_one_window_is_only_created(emulator: Emulator) -> None:
    data = emulator.data
    ws = data.main
    user_id = ws.users[0]["id"]
    start = data.now - timedelta(hours=3)
    entry = data.add_time_entry(ws.id, user_id, start, start + timedelta(hours=1))
    data.edit_time_entry(ws.id, entry["id"], description="changed right after")

    created = feed(emulator, "created").json()
    assert [item["id"] for item in created] == [entry["id"]]
    assert created[0]["description"] == "changed right after"
    assert ids(feed(emulator, "updated")) == []
    # A window that starts after the creation sees only the update.
    emulator.clock.advance(seconds=2)
    later = iso(emulator.clock.now())
    emulator.clock.advance(seconds=2)
    data.edit_time_entry(ws.id, entry["id"], description="edited later")
    assert ids(feed(emulator, "updated", start=later)) == [entry["id"]]


def test_created_then_deleted_in_one_window_is_in_neither(emulator: Emulator) -> None:
    data = emulator.data
    ws = data.main
    start = data.now - timedelta(hours=2)
    entry = data.add_time_entry(ws.id, ws.users[0]["id"], start, start + timedelta(minutes=30))
    data.delete_time_entry(ws.id, entry["id"])
    emulator.clock.advance(minutes=5)

    for kind in ("created", "updated", "deleted"):
        assert ids(feed(emulator, kind)) == [], kind


def test_a_deletion_shows_up_a_minute_late(emulator: Emulator) -> None:
    data = emulator.data
    tag = data.main.tags[0]
    data.delete_tag(data.main.id, tag["id"])
    assert ids(feed(emulator, "deleted", ("TAGS",))) == []

    emulator.clock.advance(seconds=61)

    items = feed(emulator, "deleted", ("TAGS",)).json()
    assert len(items) == 1
    item = items[0]
    assert item["documentCode"] == "TAGS"
    assert item["id"] != tag["id"]  # the item's own id; the tag's is document._id
    assert item["document"]["_id"] == tag["id"]
    assert item["document"]["name"] == tag["name"]
    assert "archived" not in item["document"]  # sparse, as the live probe


def test_the_delay_is_configurable_and_documents_can_be_full(emulator: Emulator) -> None:
    emulator.feed.deletion_delay = timedelta(0)
    emulator.feed.deleted_documents = "full"
    client = emulator.data.main.clients[0]
    emulator.data.delete_client(emulator.data.main.id, client["id"])

    (item,) = feed(emulator, "deleted", ("CLIENTS",)).json()
    document = item["document"]
    assert document.pop("_id") == client["id"]
    document.pop("auditMetadata")
    assert document == {k: v for k, v in client.items() if k != "id"}


def test_the_default_window_is_the_last_30_days(emulator: Emulator) -> None:
    data = emulator.data
    group = data.main.user_groups[0]
    data.delete_user_group(data.main.id, group["id"])
    emulator.clock.advance(days=29)
    assert ids(feed(emulator, "deleted", ("USER_GROUPS",))) == [group["id"]]
    emulator.clock.advance(days=2)
    assert ids(feed(emulator, "deleted", ("USER_GROUPS",))) == []
    since = iso(emulator.clock.now() - timedelta(days=40))
    assert ids(feed(emulator, "deleted", ("USER_GROUPS",), start=since)) == [group["id"]]


def test_windows_filter_on_the_change_time(emulator: Emulator) -> None:
    data = emulator.data
    entries = data.all_time_entries(data.main.id)[:3]
    marks = []
    for entry in entries:
        marks.append(emulator.clock.now())
        data.edit_time_entry(data.main.id, entry["id"], description="step")
        emulator.clock.advance(minutes=1)
    window = {"start": iso(marks[1]), "end": iso(marks[2])}
    assert ids(feed(emulator, "updated", **window)) == [entries[1]["id"]]


def test_paging_by_page_and_limit(emulator: Emulator) -> None:
    data = emulator.data
    ws = data.main
    start = data.now - timedelta(days=1)
    made = [
        data.add_time_entry(ws.id, ws.users[0]["id"], start, start + timedelta(minutes=5))["id"]
        for _ in range(5)
    ]
    pages = [ids(feed(emulator, "created", page=page, limit=2)) for page in range(4)]
    assert pages == [made[:2], made[2:4], made[4:], []]
    assert ids(feed(emulator, "created")) == made  # page 0, limit 50 by default

    emulator.feed.first_page = 1  # the guide's page=1 reading: page 0 and 1 are the first
    assert ids(feed(emulator, "created", page=1, limit=2)) == made[:2]
    assert ids(feed(emulator, "created", page=2, limit=2)) == made[2:4]

    emulator.feed.ignore_limit = True  # as a probe saw: everything, whatever is asked
    assert ids(feed(emulator, "created", page=1, limit=2)) == made


def test_the_other_documented_forms(emulator: Emulator) -> None:
    emulator.feed.envelope = True
    emulator.feed.type_key = "documentType"
    entry = emulator.data.all_time_entries(emulator.data.main.id)[0]
    emulator.data.edit_time_entry(emulator.data.main.id, entry["id"], billable=True)

    body = feed(emulator, "updated").json()

    assert list(body) == ["response"]
    assert body["response"][0]["documentType"] == "TIME_ENTRY"
    assert "documentCode" not in body["response"][0]


def test_type_is_required_and_checked(emulator: Emulator) -> None:
    response = feed(emulator, "created", types=())
    assert response.status_code == 400
    assert response.json()["code"] == 3001
    assert feed(emulator, "created", types=("NOT_A_TYPE",)).status_code == 400

    emulator.feed.types = OFFICIAL_TYPES  # a server that knows only the official 8
    assert feed(emulator, "created", types=("USER_GROUPS",)).status_code == 400
    assert feed(emulator, "created", types=("TAGS", "USER_GROUPS")).status_code == 400
    assert feed(emulator, "created", types=("TAGS",)).status_code == 200


def test_the_date_header_follows_the_clock(emulator: Emulator) -> None:
    emulator.clock.advance(days=3)
    response = feed(emulator, "created")
    sent = parsedate_to_datetime(response.headers["Date"])
    assert abs(sent - emulator.clock.now()) < timedelta(seconds=5)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda data: data.delete_task(
            data.main.id,
            data.main.projects[0]["id"],
            data.main.tasks[data.main.projects[0]["id"]][0]["id"],
        ),
        lambda data: data.delete_project(data.main.id, data.main.projects[-1]["id"]),
        lambda data: data.delete_user(data.main.id, data.main.users[-1]["id"]),
    ],
    ids=["task", "project", "user"],
)
def test_every_covered_type_is_logged(emulator: Emulator, mutate: t.Any) -> None:
    emulator.feed.deletion_delay = timedelta(0)
    gone = mutate(emulator.data)
    types = ("TASKS", "PROJECTS", "USER")
    deleted = ids(feed(emulator, "deleted", types))
    assert gone["id"] in deleted  # a deleted project takes its tasks with it
    assert deleted[-1] == gone["id"]
