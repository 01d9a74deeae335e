"""Fault injection: rules, latency, the injector and the answers it injects."""
