"""Dropping the fields a stream's schema does not declare, with a plan made once per stream.

The SDK conforms every record to the schema by walking each property of each record
(`TYPE_CONFORMANCE_LEVEL`): for Clockify's JSON that only ever drops undeclared fields,
since JSON holds no dates, bytes or other values to convert. `SchemaPruner` does that one
job from a plan compiled once per stream: a set comparison per object, recursing only
into the object and array-of-object properties the schema describes.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field


def object_schema(schema: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any] | None:
    """The object branch of a property schema (plain, or one of `anyOf`), if it has one."""
    if "properties" in schema:
        return schema
    for branch in schema.get("anyOf", ()):
        if isinstance(branch, t.Mapping) and "properties" in branch:
            return branch
    return None


@dataclass
class SchemaPruner:
    """Removes undeclared properties from records of one schema, in place."""

    declared: frozenset[str]
    #: True where the schema lets any property through (`additionalProperties`).
    open: bool
    objects: dict[str, SchemaPruner] = field(default_factory=dict)
    arrays: dict[str, SchemaPruner] = field(default_factory=dict)
    #: Whether no property holds objects this plan looks into.
    flat: bool = True

    @classmethod
    def compile(cls, schema: t.Mapping[str, t.Any]) -> SchemaPruner:
        """The plan for records of `schema` (an object schema)."""
        properties = schema.get("properties") or {}
        pruner = cls(frozenset(properties), open=bool(schema.get("additionalProperties")))
        for name, prop in properties.items():
            if (nested := object_schema(prop)) is not None:
                pruner.objects[name] = cls.compile(nested)
            items = prop.get("items")
            if isinstance(items, t.Mapping) and (nested := object_schema(items)) is not None:
                pruner.arrays[name] = cls.compile(nested)
        pruner.flat = not pruner.objects and not pruner.arrays
        return pruner

    def prune(self, record: dict[str, t.Any], path: str = "") -> list[str]:
        """Drop what the schema does not declare; return the dropped paths."""
        dropped: list[str] = []
        if not self.open and not record.keys() <= self.declared:
            for name in record.keys() - self.declared:
                del record[name]
                dropped.append(path + name)
        for name, pruner in self.objects.items():
            value = record.get(name)
            if type(value) is dict and not (pruner.flat and value.keys() <= pruner.declared):
                dropped += pruner.prune(value, f"{path}{name}.")
        for name, pruner in self.arrays.items():
            value = record.get(name)
            if type(value) is list:
                for item in value:
                    if type(item) is dict and not (pruner.flat and item.keys() <= pruner.declared):
                        dropped += pruner.prune(item, f"{path}{name}.")
        return dropped
