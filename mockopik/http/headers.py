"""The header names (and the one User-Agent) that mockopik's server, hooks and clients agree on."""

FAULT_HEADER = "X-Mockopik-Fault"  # a request forces a fault with it; a response names the faults that fired
WORKSPACE_HEADER = "Comet-Workspace"  # Opik's workspace of a request
HEALTH_PROBE_AGENT = "mockopik-health"  # the User-Agent of `mockopik health`, whose probes are not logged
