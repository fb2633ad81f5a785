"""Operations: health and readiness checks, request ids with structured logs, login throttle, backups."""
