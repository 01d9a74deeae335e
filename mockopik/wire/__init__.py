"""Opik's wire formats: Jackson-compatible JSON reading, marshmallow schemas, query parsing."""
