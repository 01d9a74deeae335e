"""The contract with Opik: operations, OpenAPI document, spec facts, drift and diff."""
