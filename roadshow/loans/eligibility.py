"""Eligibility rules are data; `evaluate` is the one function that decides them.

A product's rules are a list of {"fact", "op", "value"} (stored as JSON on the product); all of them
must hold. Pages (the product page, "my eligibility"), the API and matching call `evaluate`, and show
`RuleCheck.requirement()` ("创新积分 ≥ 70") and `RuleCheck.failure()` ("创新积分需 ≥ 70，当前 62").
A rule on a fact the company has not given, or on a fact this version does not know, fails: "未提供".
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ..common.choices import LabeledEnum, SrdiLevel
from ..common.errors import RuleViolation
from ..i18n.formatting import format_money, join_list
from .facts import CompanyFacts, Fact, FactKind

GTE, LTE, EQ, IN = "gte", "lte", "eq", "in"
OPERATORS = {GTE: "≥", LTE: "≤", EQ: "=", IN: "∈"}
# Which comparisons make sense for which kind of fact.
ALLOWED_OPERATORS = {
    FactKind.COUNT: (GTE, LTE, EQ),
    FactKind.MONEY: (GTE, LTE),
    FactKind.LEVEL: (GTE, EQ),
    FactKind.FLAG: (EQ,),
    FactKind.CHOICE: (IN,),
}
MAX_COUNT = 1_000_000
MAX_MONEY = Decimal(10) ** 12
SRDI_ORDER = list(SrdiLevel)


@dataclass(frozen=True)
class Rule:
    fact: Fact | str  # a str only for a stored rule on a fact this version does not know
    op: str
    value: object

    def as_data(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = format(value, "f")
        elif isinstance(value, LabeledEnum):
            value = value.value
        elif isinstance(value, (list, tuple)):
            value = [v.value if isinstance(v, LabeledEnum) else v for v in value]
        return {"fact": str(self.fact), "op": self.op, "value": value}


def parse_rule(data: dict) -> Rule:
    """A rule from data (a form, the API, the database), checked: RuleViolation says what is wrong."""
    try:
        fact = Fact(data.get("fact"))
    except (ValueError, TypeError, AttributeError):
        raise RuleViolation(_("未知的条件项：%(fact)s", fact=str(data.get("fact") if isinstance(data, dict) else data)))
    op = data.get("op")
    if op not in ALLOWED_OPERATORS[fact.kind]:
        raise RuleViolation(_("条件“%(fact)s”不能用比较方式“%(op)s”。", fact=fact.label, op=str(op)))
    return Rule(fact, op, _parse_value(fact, data.get("value")))


def _parse_value(fact: Fact, raw):
    bad = RuleViolation(_("条件“%(fact)s”的取值无效。", fact=fact.label))
    kind = fact.kind
    if kind is FactKind.COUNT:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_COUNT:
            raise bad
        return raw
    if kind is FactKind.MONEY:
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise bad from None
        if isinstance(raw, bool) or not value.is_finite() or not 0 <= value <= MAX_MONEY:
            raise bad
        return value
    if kind is FactKind.FLAG:
        if not isinstance(raw, bool):
            raise bad
        return raw
    enum = fact.choices_enum
    try:
        if kind is FactKind.LEVEL:
            return enum(raw)
        if not isinstance(raw, (list, tuple)) or not raw:
            raise bad
        return tuple(dict.fromkeys(enum(v) for v in raw))
    except (ValueError, TypeError):
        raise bad from None


def load_rules(data: list | None) -> list[Rule]:
    """A product's stored rules; one this version cannot read stays, and fails as not provided."""
    rules = []
    for item in data or []:
        try:
            rules.append(parse_rule(item))
        except (RuleViolation, AttributeError):
            item = item if isinstance(item, dict) else {}
            rules.append(Rule(str(item.get("fact")), str(item.get("op")), item.get("value")))
    return rules


# --- evaluation ------------------------------------------------------------------------------

def _holds(rule: Rule, actual) -> bool:
    kind = rule.fact.kind
    if kind is FactKind.LEVEL:
        actual, wanted = SRDI_ORDER.index(actual), SRDI_ORDER.index(rule.value)
    else:
        wanted = rule.value
    if rule.op == GTE:
        return actual >= wanted
    if rule.op == LTE:
        return actual <= wanted
    if rule.op == EQ:
        return actual == wanted
    return actual in wanted  # IN


@dataclass(frozen=True)
class RuleCheck:
    rule: Rule
    passed: bool
    actual: object  # None: not provided

    def requirement(self) -> str:
        return describe(self.rule)

    def failure(self) -> str | None:
        """Why the rule fails, with what the company has: "创新积分需 ≥ 70，当前 62"."""
        if self.passed:
            return None
        actual = _("未提供") if self.actual is None else show_value(self.rule.fact, self.actual)
        if isinstance(self.rule.fact, Fact) and self.rule.fact.kind in (FactKind.COUNT, FactKind.MONEY):
            return _("%(fact)s需 %(op)s %(value)s，当前 %(actual)s", fact=self.rule.fact.label,
                     op=OPERATORS[self.rule.op], value=show_value(self.rule.fact, self.rule.value), actual=actual)
        return _("%(requirement)s，当前 %(actual)s", requirement=describe(self.rule), actual=actual)


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[RuleCheck, ...]

    @property
    def eligible(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[RuleCheck]:
        return [check for check in self.checks if not check.passed]


def evaluate(rules: list[Rule] | list[dict], facts: CompanyFacts) -> Eligibility:
    """Check every rule against the company's facts: the one decision of who qualifies."""
    rules = [rule if isinstance(rule, Rule) else load_rules([rule])[0] for rule in rules]
    checks = []
    for rule in rules:
        actual = facts[rule.fact] if isinstance(rule.fact, Fact) else None
        checks.append(RuleCheck(rule, actual is not None and _holds(rule, actual), actual))
    return Eligibility(tuple(checks))


# --- words -----------------------------------------------------------------------------------

def show_value(fact, value) -> str:
    if not isinstance(fact, Fact):
        return str(value)
    if fact.kind is FactKind.MONEY:
        return format_money(value)
    if fact.kind is FactKind.FLAG:
        return _("是") if value else _("否")
    if isinstance(value, (list, tuple)):
        return join_list([str(v.label) for v in value])
    if isinstance(value, LabeledEnum):
        return str(value.label)
    if fact is Fact.YEARS_FOUNDED:
        return _("%(n)s 年", n=value)
    return str(value)


def describe(rule: Rule) -> str:
    """The rule in words, for the product page: "创新积分 ≥ 70", "须为高新技术企业"."""
    fact = rule.fact
    if not isinstance(fact, Fact):
        return _("条件“%(fact)s”（本平台无法核对）", fact=str(fact))
    kind = fact.kind
    if kind is FactKind.FLAG:
        return _("须为%(fact)s", fact=fact.label) if rule.value else _("须不是%(fact)s", fact=fact.label)
    if kind is FactKind.LEVEL:
        if rule.op == GTE:
            return _("%(fact)s不低于%(value)s", fact=fact.label, value=rule.value.label)
        return _("%(fact)s为%(value)s", fact=fact.label, value=rule.value.label)
    if kind is FactKind.CHOICE:
        return _("%(fact)s属于：%(values)s", fact=fact.label, values=show_value(fact, rule.value))
    return f"{fact.label} {OPERATORS[rule.op]} {show_value(fact, rule.value)}"
