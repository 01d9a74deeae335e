"""HTTP blueprints: Opik's REST endpoints and mockopik's own admin API."""
