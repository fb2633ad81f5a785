"""Background jobs: the APScheduler runner, database run guards and the admin jobs page."""
