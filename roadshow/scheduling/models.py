"""The every-day calendar: models (issue 3)."""
