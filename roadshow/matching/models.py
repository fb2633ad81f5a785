"""Investor ⇄ project matching: models (issue 5)."""
