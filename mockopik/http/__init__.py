"""Request plumbing: error rendering, body reading, request hooks, journal, access log, server."""
