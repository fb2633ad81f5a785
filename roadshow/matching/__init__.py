"""Investor ⇄ project matching: vectorised scores, explanations, saved searches."""
