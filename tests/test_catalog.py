"""Catalogs as users hand them in: trimmed to a few streams, with their own choices."""

from __future__ import annotations

import typing as t

import pytest

from tests.conftest import emulator_config
from tests.emulator import Emulator
from tests.tap_runner import assert_fails_in_one_line, catalog_selecting, run_cli, sync


def trimmed_catalog(config: dict[str, t.Any], streams: list[str]) -> dict[str, t.Any]:
    """A discovered catalog cut down to `streams` (their parents left out), all selected."""
    catalog = catalog_selecting(config, streams)
    catalog["streams"] = [e for e in catalog["streams"] if e["tap_stream_id"] in streams]
    return catalog


def ids(records: list[dict[str, t.Any]]) -> set[t.Any]:
    return {record["id"] for record in records}


@pytest.mark.parametrize("stream", ["tasks", "time_entries", "detailed_report"])
def test_a_catalog_without_the_parents_syncs_the_stream_in_full(
    emulator: Emulator,
    tmp_path: t.Any,
    stream: str,
) -> None:
    config = emulator_config(emulator)
    full = sync(config, streams=[stream])
    trimmed = run_cli(
        [], config=config, catalog=trimmed_catalog(config, [stream]), tmp_path=tmp_path
    )
    assert trimmed.exit_code == 0, trimmed.stderr[-3000:]
    assert trimmed.streams_with_records == {stream}
    assert ids(trimmed.records(stream)) == ids(full.records(stream))
    assert len(trimmed.records(stream)) == len(full.records(stream)) > 0


def set_stream_metadata(catalog: dict[str, t.Any], stream: str, **metadata: t.Any) -> None:
    """Set top-level metadata (e.g. `replication-method`) of `stream` in `catalog`."""
    entry = next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)
    for item in entry["metadata"]:
        if item["breadcrumb"] == []:
            item["metadata"].update({key.replace("_", "-"): v for key, v in metadata.items()})
    if "replication_method" in metadata:
        entry["replication_method"] = metadata["replication_method"]
    if "replication_key" in metadata:
        entry["replication_key"] = metadata["replication_key"]


def test_full_table_from_the_catalog_rereads_time_entries_despite_a_state(
    emulator: Emulator,
    tmp_path: t.Any,
) -> None:
    config = emulator_config(emulator)
    first = sync(config, streams=["time_entries"])
    everything = ids(first.records("time_entries"))
    incremental = sync(config, streams=["time_entries"], state=first.final_state)
    assert len(ids(incremental.records("time_entries"))) < len(everything)

    catalog = catalog_selecting(config, ["time_entries"])
    set_stream_metadata(catalog, "time_entries", replication_method="FULL_TABLE")
    full = run_cli([], config=config, state=first.final_state, catalog=catalog, tmp_path=tmp_path)
    assert full.exit_code == 0, full.stderr[-3000:]
    assert ids(full.records("time_entries")) == everything


def test_an_unsupported_replication_key_is_refused_before_any_request(
    emulator: Emulator,
    tmp_path: t.Any,
) -> None:
    config = emulator_config(emulator)
    catalog = catalog_selecting(config, ["time_entries"])
    set_stream_metadata(catalog, "time_entries", replication_key="description")
    result = run_cli([], config=config, catalog=catalog, tmp_path=tmp_path)
    assert_fails_in_one_line(
        result, "catalog", "time_entries", "'description'", "expected 'started_at'"
    )
    assert emulator.count() == 0
