"""The `loan_world` fixture: a verified bank with one lender, its product, and a startup that qualifies for it."""
from dataclasses import dataclass

import pytest

from roadshow.accounts.models import Role, User
from roadshow.investors.models import Institution, InstitutionType
from roadshow.loans.models import LoanProduct
from roadshow.projects.models import Company

from .factories import LoanProductFactory


@dataclass
class LoanWorld:
    bank: Institution
    lender: User
    product: LoanProduct
    company: Company
    startup: User


@pytest.fixture
def loan_world(db, make_user, make_company, make_institution) -> LoanWorld:
    lender = make_user(Role.INVESTOR, email="lender@bank.example.com")
    bank = make_institution(lender, type=InstitutionType.BANK, name="汉口银行光谷科技支行", registration_number=None,
                            funds=[])
    product = LoanProductFactory(institution=bank)
    startup = make_user(Role.STARTUP, email="founder@startup.example.com")
    company = make_company(startup, innovation_score=78)
    return LoanWorld(bank, lender, product, company, startup)
