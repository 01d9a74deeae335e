"""Opik's records and rules: models, ids, store, filters, aggregates, errors; no web code."""
