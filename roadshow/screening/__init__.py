"""Screening (路演筛选): the reviewer pool, assignments and rubric scores."""
