"""JSON schemas of the streams, one file per stream, loaded by name."""

from importlib.resources import files

from singer_sdk import SchemaDirectory

#: The one source every stream's schema is read from (the SDK caches each file it reads).
SCHEMA_DIRECTORY = SchemaDirectory(files(__name__))
