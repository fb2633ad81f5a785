"""Admin: the center's staff curate sessions, verify institutions and screen projects."""
