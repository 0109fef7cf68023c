"""Schemas that follow the settings: properties a setting turns off leave the catalog."""

from __future__ import annotations

import typing as t

from singer_sdk import StreamSchema
from typing_extensions import override

from tap_clockify.schemas import SCHEMA_DIRECTORY

if t.TYPE_CHECKING:
    from singer_sdk import Stream


class SettingsAwareSchema(StreamSchema):
    """The stream's schema file without the properties its `left_out_properties` names.

    `left_out_properties(names)` gets the names of the file's properties and returns
    those to leave out.

    For optional, costly parts of a record (an approval's embedded entries, an invoice's
    detail): when their setting is off, the catalog does not announce columns that would
    always be empty.
    """

    def __init__(self) -> None:
        """Read the schema files of `tap_clockify.schemas`, like the base stream."""
        super().__init__(SCHEMA_DIRECTORY)

    @override
    def get_stream_schema(self, stream: Stream, stream_class: type[Stream]) -> dict[str, t.Any]:
        """The schema file, minus the stream's left-out properties."""
        schema = super().get_stream_schema(stream, stream_class)
        properties = schema["properties"]
        left_out: set[str] = stream.left_out_properties(set(properties))  # type: ignore[attr-defined]
        if not left_out:
            return schema
        kept = {name: value for name, value in properties.items() if name not in left_out}
        return {**schema, "properties": kept}
