"""Helpers shared by tests that need more than the in-process app (a real server process)."""
