"""Errors that services raise for rule violations; views turn them into messages."""


class RuleViolation(Exception):
    """A business rule refused the action; str(exc) is a message fit for the user."""


class FieldRuleViolation(RuleViolation):
    """A refusal that belongs to one form field; views show it under that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class PermissionDenied(RuleViolation):
    """The acting user may not do this to this object."""
