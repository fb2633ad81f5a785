"""Background jobs: models (issue 3)."""
