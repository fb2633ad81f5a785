"""Screening (路演筛选): models (issue 3)."""
