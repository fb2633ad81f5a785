"""Technology loans and financing results: demo data.

Three Wuhan banks (and a guarantor) with 科技贷 products in the style of the Hubei plan (人才贷, 研发贷,
中试贷, 知识产权质押, 投贷联动, "301" quick loans), companies' districts, revenue and patents, loan
applications in every state, financing events over the past year, and a government account for the
dashboard. Rows are built in their final state; idempotent like the rest of the demo data set.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.common.choices import District
from roadshow.extensions import db
from roadshow.financing.models import Confirmation, FinancingEvent, FinancingKind
from roadshow.financing.services import presentations
from roadshow.investors.models import Institution, InstitutionType, VerificationStatus
from roadshow.loans.ip_numbers import patent_check_character
from roadshow.loans.models import (
    Collateral, IpAsset, IpKind, IpStatus, LoanApplication, LoanApplicationStatus, LoanKind, LoanProduct,
)
from roadshow.projects.models import Company
from roadshow.common.choices import Stage

from . import data

WAN = Decimal(10_000)
REGION_DISTRICTS = {
    "420100": District.EAST_LAKE, "420103": District.JIANGHAN, "420105": District.HANYANG,
    "420106": District.WUCHANG, "420107": District.QINGSHAN, "420111": District.HONGSHAN,
    "420112": District.DONGXIHU, "420113": District.ECONOMIC_ZONE, "420114": District.CAIDIAN,
    "420115": District.JIANGXIA,
}
# (account, institution, type, member's name): the two demo banks, a third bank and a guarantor, each with a
# loan officer's account (the demo's investor accounts of the first two stay as they are)
LENDERS = (
    ("bank01", "荆楚科创银行东湖科技金融事业部", InstitutionType.BANK, "周文博"),
    ("bank02", "汉水商业银行光谷科技支行", InstitutionType.BANK, "何静怡"),
    ("bank03", "江城农商银行科技金融支行", InstitutionType.BANK, "罗志强"),
    ("guarantor01", "光谷科创融资担保有限公司", InstitutionType.GUARANTOR, "孙晓雯"),
    ("insurer01", "长江科创保险股份有限公司湖北分公司", InstitutionType.TECH_INSURER, "郑雅琪"),
)
# Lenders that the core demo data set does not have already (they disclose no funds).
NEW_LENDERS = ("江城农商银行科技金融支行", "光谷科创融资担保有限公司", "长江科创保险股份有限公司湖北分公司")
GOVERNMENT = ("gov01", "东湖高新区科技创新局", "杨明轩")


def rules(*items) -> list[dict]:
    return [{"fact": fact, "op": op, "value": value} for fact, op, value in items]


# (lender account, name, kind, collateral, amount 万 low–high, rate % low–high, months low–high, description, rules)
PRODUCTS = (
    ("bank01", "光谷科技人才贷", LoanKind.TALENT, Collateral.NONE, (50, 1000), ("3.20", "4.20"), (12, 36),
     "面向“3551光谷人才计划”等高层次人才创办的科技型企业，纯信用、随借随还，首贷最快 5 个工作日放款。",
     rules(("innovation_score", "gte", 60), ("years_founded", "lte", 10))),
    ("bank01", "知识产权质押融资·荆楚知贷", LoanKind.IP_PLEDGE, Collateral.IP_PLEDGE, (100, 3000), ("3.50", "4.80"),
     (12, 36), "以有效发明专利、实用新型专利质押，评估费由风险补偿资金池承担，省市贴息后实际利率更低。",
     rules(("patents", "gte", 5), ("high_tech", "eq", True))),
    ("bank02", "汉水研发贷", LoanKind.RND, Collateral.NONE, (100, 2000), ("3.30", "4.50"), (6, 36),
     "按企业上年研发投入核定额度，用于研发人员薪酬、设备购置和测试验证。",
     rules(("innovation_score", "gte", 70), ("high_tech", "eq", True))),
    ("bank02", "投贷联动·科创成长贷", LoanKind.INVEST_LOAN, Collateral.EQUITY_LINKED, (500, 5000), ("3.60", "5.00"),
     (12, 60), "与合作创投机构联动，已获股权投资的企业可获得认股权贷款。",
     rules(("srdi_level", "gte", "provincial"), ("annual_revenue", "gte", "20000000"))),
    ("bank03", "“301”科创快贷", LoanKind.QUICK_301, Collateral.NONE, (10, 300), ("3.85", "4.35"), (1, 12),
     "线上申请 3 分钟、审批 0 人工干预、1 秒放款，依据创新积分自动核定额度。",
     rules(("innovation_score", "gte", 50))),
    ("bank03", "中试贷", LoanKind.PILOT, Collateral.GUARANTEE, (200, 3000), ("3.40", "4.60"), (12, 48),
     "支持科技成果在中试平台完成工程化验证，由政府性融资担保机构提供担保。",
     rules(("industry_chain", "in", ["optoelectronics", "integrated_circuits", "new_materials", "life_health"]),
           ("patents", "gte", 10))),
    ("insurer01", "研发费用损失保险贷", LoanKind.RND, Collateral.GUARANTEE, (50, 1000), ("3.10", "3.90"), (12, 24),
     "科技保险机构为研发投入提供损失保险，银行据保单发放贷款，适合研发期长的企业。",
     rules(("invention_patents", "gte", 2), ("innovation_score", "gte", 65))),
    ("guarantor01", "科技担保·创业担保贷", LoanKind.RND, Collateral.GUARANTEE, (30, 500), ("3.00", "3.80"), (12, 36),
     "政府性融资担保机构为轻资产科技企业提供担保，担保费率不超过 1%。",
     rules(("district", "in", ["east_lake", "hongshan", "jiangxia"]))),
)
# (company key, product name, status, amount 万, months, days ago, purpose, approved 万, rate %, answer)
APPLICATIONS = (
    ("c01", "汉水研发贷", LoanApplicationStatus.APPROVED, 1500, 24, 300, "800G 硅光模块研发人员与流片费用", 1200, "3.45", ""),
    ("c02", "知识产权质押融资·荆楚知贷", LoanApplicationStatus.APPROVED, 3000, 36, 240, "激光器产线扩产，质押发明专利 8 件", 2500, "3.80", ""),
    ("c05", "“301”科创快贷", LoanApplicationStatus.APPROVED, 300, 12, 150, "短期流动资金", 300, "3.85", ""),
    ("c03", "光谷科技人才贷", LoanApplicationStatus.APPROVED, 500, 24, 60, "光纤传感研发团队扩充", 400, "3.30", ""),
    ("c04", "汉水研发贷", LoanApplicationStatus.DECLINED, 800, 24, 200, "量子探测器研发", None, None,
     "企业成立时间较短、尚无研发费用加计扣除记录，建议先申请“301”科创快贷。"),
    ("c06", "中试贷", LoanApplicationStatus.DECLINED, 1000, 36, 90, "中试线建设", None, None, "中试平台合作协议尚未签署。"),
    ("c07", "“301”科创快贷", LoanApplicationStatus.SUBMITTED, 200, 12, 3, "采购测试仪器", None, None, ""),
    ("c08", "光谷科技人才贷", LoanApplicationStatus.INFO_REQUESTED, 300, 24, 8, "核心团队引进", None, None, ""),
    ("c09", "科技担保·创业担保贷", LoanApplicationStatus.WITHDRAWN, 100, 12, 40, "市场推广", None, None, ""),
)
# (company key, kind, amount 万, days ago, institution name or None, counterparty, round, confirmation)
EVENTS = (
    ("c01", FinancingKind.EQUITY, 8000, 330, "江城光谷私募股权基金管理有限公司", "", Stage.A, Confirmation.CONFIRMED),
    ("c02", FinancingKind.GRANT, 200, 280, None, "东湖高新区科技创新局（瞪羚企业奖励）", None, Confirmation.SELF_REPORTED),
    ("c04", FinancingKind.EQUITY, 1500, 180, None, "华科校友天使基金", Stage.ANGEL, Confirmation.SELF_REPORTED),
    ("c06", FinancingKind.GRANT, 100, 120, None, "武汉市科技局（科技成果转化项目）", None, Confirmation.SELF_REPORTED),
    ("c10", FinancingKind.EQUITY, 5000, 75, "长江启航创业投资管理有限公司", "", Stage.B, Confirmation.PENDING),
    ("c11", FinancingKind.LOAN, 500, 45, None, "中国银行湖北省分行", None, Confirmation.SELF_REPORTED),
    ("c12", FinancingKind.EQUITY, 3000, 20, "江城光谷私募股权基金管理有限公司", "", Stage.PRE_A, Confirmation.DISPUTED),
)
# Money that came after the most recent roadshows, for the first companies that presented in them:
# (kind, amount 万, days after the roadshow, counterparty)
AFTER_ROADSHOW = (
    (FinancingKind.EQUITY, 2000, 2, "光谷合伙人天使基金"),
    (FinancingKind.GRANT, 50, 3, "湖北省科技厅（科技型中小企业创新基金）"),
    (FinancingKind.LOAN, 300, 5, "武汉农村商业银行"),
)


def _user(local_part: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == f"{local_part}@{data.EMAIL_DOMAIN}"))


def _account(local_part: str, name: str, role: Role, institution: Institution | None = None) -> User:
    user = _user(local_part)
    if user is None:
        template = db.session.scalar(sa.select(User).order_by(User.id))  # the demo accounts share one password
        user = User(email=f"{local_part}@{data.EMAIL_DOMAIN}", name=name, institution=institution,
                    password_hash=template.password_hash)
        user.grant(role)
        db.session.add(user)
    return user


def _institution(name: str) -> Institution | None:
    return db.session.scalar(sa.select(Institution).where(Institution.name == name))


def _companies() -> dict[str, Company]:
    by_name = {c.name: c for c in db.session.scalars(sa.select(Company))}
    return {spec.key: by_name[spec.name] for spec in data.COMPANIES if spec.name in by_name}


def _ago(today: date, days: int, clock: time = time(2)) -> datetime:
    return datetime.combine(today - timedelta(days=days), clock)


def seed_company_facts(companies: dict[str, Company]) -> None:
    """Districts from the credit code's region, revenue for the larger companies, granted patents for three."""
    for spec in data.COMPANIES:
        company = companies.get(spec.key)
        if company is None:
            continue
        if company.district is None:
            company.district = REGION_DISTRICTS.get(spec.region)
        if company.annual_revenue is None and spec.headcount >= 80:
            company.annual_revenue = Decimal(spec.headcount) * Decimal("450000")
    for index, key in enumerate(("c01", "c02", "c03")):
        company = companies.get(key)
        if company is None or db.session.scalar(sa.select(IpAsset.id).where(IpAsset.company_id == company.id)):
            continue
        for n in range(3):
            digits = f"202{index + 1}1{(index * 10 + n) * 1234567 % 10_000_000:07d}"
            db.session.add(IpAsset(company_id=company.id, kind=IpKind.INVENTION_PATENT,
                                   number=f"{digits}.{patent_check_character(digits)}", title=f"{company.name[2:8]}核心专利{n + 1}",
                                   status=IpStatus.GRANTED, owner=company.name))


def seed_lenders() -> dict[str, Institution]:
    lenders = {}
    for account, name, type_, person in LENDERS:
        institution = _institution(name)
        if institution is None:
            institution = Institution(name=name, type=type_, city="武汉", verification_status=VerificationStatus.VERIFIED,
                                      intro=f"{name}面向科技型企业提供信贷、担保与综合金融服务。")
            db.session.add(institution)
        _account(account, person, Role.INVESTOR, institution)
        lenders[account] = institution
    return lenders


def seed_products(lenders: dict[str, Institution]) -> dict[str, LoanProduct]:
    products = {}
    for account, name, kind, collateral, (low, high), (rate_low, rate_high), (months_low, months_high), text, \
            conditions in PRODUCTS:
        product = db.session.scalar(sa.select(LoanProduct).where(LoanProduct.name == name))
        if product is None:
            product = LoanProduct(institution=lenders[account], name=name, kind=kind, collateral=collateral,
                                  amount_min=low * WAN, amount_max=high * WAN, rate_min=Decimal(rate_low),
                                  rate_max=Decimal(rate_high), term_min_months=months_low, term_max_months=months_high,
                                  description=text, rules=conditions, is_published=True)
            db.session.add(product)
        products[name] = product
    return products


def seed_applications(today: date, companies: dict[str, Company], products: dict[str, LoanProduct]) -> None:
    for key, name, status, amount, months, days, purpose, approved, rate, answer in APPLICATIONS:
        company, product = companies.get(key), products[name]
        if company is None or db.session.scalar(sa.select(LoanApplication.id).where(
                LoanApplication.company_id == company.id, LoanApplication.product_id == product.id)):
            continue
        founder = db.session.scalar(sa.select(User).where(User.company_id == company.id).order_by(User.id))
        lender = db.session.scalar(sa.select(User).where(User.institution_id == product.institution.id))
        created = _ago(today, days)
        decided = created + timedelta(days=min(12, max(days - 1, 0))) if status in (
            LoanApplicationStatus.APPROVED, LoanApplicationStatus.DECLINED) else None
        application = LoanApplication(
            product=product, company=company, applicant_id=founder.id if founder else None, amount=amount * WAN,
            term_months=months, purpose=purpose, status=status, created_at=created, updated_at=decided or created,
            decided_at=decided, decided_by_id=lender.id if decided and lender else None,
            approved_amount=approved * WAN if approved else None, approved_rate=Decimal(rate) if rate else None,
            approved_term_months=months if approved else None,
            decision_reason=answer or None,
            info_request="请补充近两年的财务报表和核心团队劳动合同。"
            if status == LoanApplicationStatus.INFO_REQUESTED else None)
        db.session.add(application)
        if status == LoanApplicationStatus.APPROVED:
            db.session.flush()
            db.session.add(FinancingEvent(
                company_id=company.id, kind=FinancingKind.LOAN, amount=application.approved_amount,
                occurred_on=decided.date(), institution_id=product.institution_id, loan_application_id=application.id,
                confirmation=Confirmation.CONFIRMED, note=product.name))


def seed_events(today: date, companies: dict[str, Company]) -> None:
    for key, kind, amount, days, institution_name, counterparty, round_, confirmation in EVENTS:
        company = companies.get(key)
        institution = _institution(institution_name) if institution_name else None
        if company is None or (institution_name and institution is None):
            continue
        occurred_on = today - timedelta(days=days)
        if db.session.scalar(sa.select(FinancingEvent.id).where(
                FinancingEvent.company_id == company.id, FinancingEvent.occurred_on == occurred_on,
                FinancingEvent.kind == kind)):
            continue
        db.session.add(FinancingEvent(
            company_id=company.id, kind=kind, amount=amount * WAN, occurred_on=occurred_on,
            institution_id=institution.id if institution else None, counterparty=counterparty, round=round_,
            confirmation=confirmation, dispute_note="本机构未参与该轮投资。" if confirmation == Confirmation.DISPUTED else None))


def seed_after_roadshows(today: date) -> None:
    """Financing dated a few days after a company's first roadshow (never after today)."""
    first = _first_roadshows()
    for (company_id, ended_at), (kind, amount, days, counterparty) in zip(first, AFTER_ROADSHOW):
        occurred_on = min(today, ended_at.date() + timedelta(days=days))
        if db.session.scalar(sa.select(FinancingEvent.id).where(FinancingEvent.company_id == company_id,
                                                                FinancingEvent.counterparty == counterparty)):
            continue
        db.session.add(FinancingEvent(company_id=company_id, kind=kind, amount=amount * WAN, occurred_on=occurred_on,
                                      counterparty=counterparty, confirmation=Confirmation.SELF_REPORTED,
                                      round=Stage.ANGEL if kind == FinancingKind.EQUITY else None))


def _first_roadshows() -> list[tuple[int, datetime]]:
    shown = presentations().subquery()
    return list(db.session.execute(sa.select(shown.c.company_id, sa.func.min(shown.c.ended_at))
                                   .group_by(shown.c.company_id).order_by(shown.c.company_id)).all())


def seed_demo(today: date) -> None:
    companies = _companies()
    seed_company_facts(companies)
    lenders = seed_lenders()
    products = seed_products(lenders)
    db.session.flush()
    seed_applications(today, companies, products)
    seed_events(today, companies)
    seed_after_roadshows(today)
    account, name, person = GOVERNMENT
    _account(account, person, Role.GOVERNMENT)
    db.session.flush()
