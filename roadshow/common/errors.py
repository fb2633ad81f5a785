"""Errors that services raise for rule violations; views turn them into messages."""


class RuleViolation(Exception):
    """A business rule refused the action; str(exc) is a message fit for the user."""


class PermissionDenied(RuleViolation):
    """The acting user may not do this to this object."""
