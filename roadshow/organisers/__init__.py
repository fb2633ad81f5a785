"""Partner organisers: organisations that run their own roadshow series at or beyond the center."""
