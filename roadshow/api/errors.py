"""Business-rule refusals from the shared services, as problem details with a stable code."""
import re

from flask import Blueprint
from flask_babel import gettext as _

from ..common.error_pages import problem
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation


def _code(exc: Exception) -> str:
    """SessionFull -> session_full: the exception's class name is the machine-readable code."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def register_rule_errors(bp: Blueprint) -> None:
    @bp.errorhandler(FieldRuleViolation)
    def field_rule(exc: FieldRuleViolation):
        return problem(422, "validation_failed", _("请求数据没有通过校验。"), errors={exc.field: [str(exc)]})

    @bp.errorhandler(PermissionDenied)
    def denied(exc: PermissionDenied):
        return problem(403, "forbidden", str(exc))

    @bp.errorhandler(RuleViolation)
    def rule(exc: RuleViolation):
        return problem(409, _code(exc), str(exc))
