"""JSON schemas of the streams, one file per stream, loaded by name."""
