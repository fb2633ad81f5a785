"""The one eligibility function: every operator on every kind of fact, and a fact that is missing."""
from decimal import Decimal

import pytest

from roadshow.common.choices import District, IndustryChain, SrdiLevel
from roadshow.common.errors import RuleViolation
from roadshow.i18n import stored_language
from roadshow.loans.eligibility import describe, evaluate, parse_rule
from roadshow.loans.facts import CompanyFacts, Fact, company_facts
from roadshow.loans.models import IpAsset, IpKind, IpStatus

FACTS = CompanyFacts({
    Fact.INNOVATION_SCORE: 62, Fact.SRDI_LEVEL: SrdiLevel.PROVINCIAL, Fact.HIGH_TECH: False, Fact.PATENTS: 8,
    Fact.INVENTION_PATENTS: None, Fact.YEARS_FOUNDED: 4, Fact.ANNUAL_REVENUE: Decimal("12000000.00"),
    Fact.INDUSTRY_CHAIN: IndustryChain.OPTOELECTRONICS, Fact.DISTRICT: None,
})

# (rule, passes, what the company is told when it fails)
TABLE = [
    ({"fact": "innovation_score", "op": "gte", "value": 60}, True, None),
    ({"fact": "innovation_score", "op": "gte", "value": 70}, False, "创新积分需 ≥ 70，当前 62"),
    ({"fact": "innovation_score", "op": "lte", "value": 62}, True, None),
    ({"fact": "innovation_score", "op": "lte", "value": 50}, False, "创新积分需 ≤ 50，当前 62"),
    ({"fact": "innovation_score", "op": "eq", "value": 62}, True, None),
    ({"fact": "patents", "op": "eq", "value": 9}, False, "有效专利数需 = 9，当前 8"),
    ({"fact": "years_founded", "op": "lte", "value": 5}, True, None),
    ({"fact": "years_founded", "op": "gte", "value": 5}, False, "成立年限需 ≥ 5 年，当前 4 年"),
    ({"fact": "annual_revenue", "op": "gte", "value": "10000000"}, True, None),
    ({"fact": "annual_revenue", "op": "lte", "value": "5000000"}, False, "上年营业收入需 ≤ 500万元，当前 1200万元"),
    ({"fact": "srdi_level", "op": "gte", "value": "innovative_sme"}, True, None),
    ({"fact": "srdi_level", "op": "gte", "value": "little_giant"}, False,
     "专精特新等级不低于国家级专精特新“小巨人”，当前 省级专精特新"),
    ({"fact": "srdi_level", "op": "eq", "value": "provincial"}, True, None),
    ({"fact": "high_tech", "op": "eq", "value": True}, False, "须为高新技术企业，当前 否"),
    ({"fact": "high_tech", "op": "eq", "value": False}, True, None),
    ({"fact": "industry_chain", "op": "in", "value": ["optoelectronics", "integrated_circuits"]}, True, None),
    ({"fact": "industry_chain", "op": "in", "value": ["life_health"]}, False, "所属产业链属于：大健康与生物医药，当前 光电子信息"),
    # facts the company has not given, and a fact this version does not know
    ({"fact": "invention_patents", "op": "gte", "value": 1}, False, "有效发明专利数需 ≥ 1，当前 未提供"),
    ({"fact": "district", "op": "in", "value": ["east_lake"]}, False, "注册区域属于：东湖高新区，当前 未提供"),
    ({"fact": "credit_rating", "op": "gte", "value": 3}, False, "条件“credit_rating”（本平台无法核对），当前 未提供"),
]


@pytest.mark.parametrize(("rule", "passes", "told"), TABLE, ids=[f"{r['fact']}-{r['op']}-{p}" for r, p, _t in TABLE])
def test_every_operator_and_missing_fact(app, rule, passes, told):
    with stored_language():
        result = evaluate([rule], FACTS)
        assert result.eligible is passes
        assert result.checks[0].failure() == told


def test_all_rules_must_hold_and_every_failure_is_listed(app):
    rules = [{"fact": "innovation_score", "op": "gte", "value": 70}, {"fact": "patents", "op": "gte", "value": 5},
             {"fact": "high_tech", "op": "eq", "value": True}]
    result = evaluate(rules, FACTS)
    assert not result.eligible
    assert [check.rule.fact for check in result.failures] == [Fact.INNOVATION_SCORE, Fact.HIGH_TECH]
    assert evaluate([], FACTS).eligible


@pytest.mark.parametrize("data", [
    {"fact": "innovation_score", "op": "in", "value": [1]},  # an operator the fact does not take
    {"fact": "innovation_score", "op": "gte", "value": -1},
    {"fact": "innovation_score", "op": "gte", "value": True},
    {"fact": "annual_revenue", "op": "gte", "value": "NaN"},
    {"fact": "annual_revenue", "op": "gte", "value": "1e999"},
    {"fact": "srdi_level", "op": "gte", "value": "platinum"},
    {"fact": "industry_chain", "op": "in", "value": []},
    {"fact": "nonsense", "op": "gte", "value": 1},
])
def test_bad_rules_are_refused_when_written(app, data):
    with pytest.raises(RuleViolation):
        parse_rule(data)


def test_rules_read_in_words(app):
    with stored_language():
        assert describe(parse_rule({"fact": "innovation_score", "op": "gte", "value": 70})) == "创新积分 ≥ 70"
        assert describe(parse_rule({"fact": "high_tech", "op": "eq", "value": True})) == "须为高新技术企业"
        assert describe(parse_rule({"fact": "district", "op": "in", "value": ["east_lake", "hongshan"]})) == \
            "注册区域属于：东湖高新区、洪山区"


def test_patents_come_from_the_ip_list_once_the_company_keeps_one(db, make_company):
    company = make_company(patents_count=12, district=District.EAST_LAKE)
    facts = company_facts(company)
    assert (facts[Fact.PATENTS], facts[Fact.INVENTION_PATENTS], facts[Fact.DISTRICT]) == (12, None, District.EAST_LAKE)
    db.session.add_all([
        IpAsset(company_id=company.id, kind=IpKind.INVENTION_PATENT, number="202310123456.7", title="硅光调制器",
                status=IpStatus.GRANTED, owner=company.name),
        IpAsset(company_id=company.id, kind=IpKind.UTILITY_MODEL, number="202320123456.X", title="散热结构",
                status=IpStatus.PENDING, owner=company.name),
    ])
    db.session.commit()
    facts = company_facts(company)
    assert (facts[Fact.PATENTS], facts[Fact.INVENTION_PATENTS]) == (1, 1)
    assert facts[Fact.ANNUAL_REVENUE] is None
