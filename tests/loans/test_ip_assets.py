"""A company's IP list: numbers checked by format and check digit, kinds matched, duplicates refused."""
import pytest
import sqlalchemy as sa

from roadshow.common.errors import FieldRuleViolation
from roadshow.loans import services
from roadshow.loans.ip_numbers import normalize_number, patent_check_character
from roadshow.loans.models import IpAsset, IpKind, IpStatus


def valid_patent(prefix: str) -> str:
    return f"ZL{prefix}.{patent_check_character(prefix)}"


def test_patent_numbers_are_checked_and_stored_normalised(app):
    number = valid_patent("202310123456")
    assert normalize_number(IpKind.INVENTION_PATENT, " zl" + number[2:].lower() + " ") == number[2:]
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(FieldRuleViolation, match="校验位"):
        normalize_number(IpKind.INVENTION_PATENT, wrong_check)
    with pytest.raises(FieldRuleViolation, match="专利类型"):
        normalize_number(IpKind.DESIGN_PATENT, number)  # type digit 1 is an invention
    with pytest.raises(FieldRuleViolation, match="格式"):
        normalize_number(IpKind.INVENTION_PATENT, "CN1234567")
    assert normalize_number(IpKind.SOFTWARE_COPYRIGHT, "2023sr0123456") == "2023SR0123456"
    with pytest.raises(FieldRuleViolation):
        normalize_number(IpKind.SOFTWARE_COPYRIGHT, "软著123")
    with pytest.raises(FieldRuleViolation):
        normalize_number(IpKind.TRADEMARK, "12345678901")


def test_a_right_is_listed_once_on_the_platform(db, loan_world, make_user, make_company):
    number = valid_patent("202310123456")
    services.add_ip_asset(loan_world.startup, kind=IpKind.INVENTION_PATENT, number=number, title="硅光调制器",
                          status=IpStatus.GRANTED, owner=loan_world.company.name)
    db.session.commit()
    other = make_user()
    make_company(other)
    with pytest.raises(FieldRuleViolation, match="已登记在平台上"):
        services.add_ip_asset(other, kind=IpKind.INVENTION_PATENT, number=number.lower().replace("zl", ""),
                              title="抄来的", status=IpStatus.GRANTED, owner="他人")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IpAsset)) == 1


def test_the_ip_page_adds_and_refuses_with_the_reason(db, loan_world, client, login):
    login(loan_world.startup)
    form = {"kind": "invention_patent", "number": valid_patent("202310123456"), "title": "硅光调制器",
            "status": "granted", "owner": loan_world.company.name}
    assert client.post("/my/ip", data=form).status_code == 302
    response = client.post("/my/ip", data=form)
    assert response.status_code == 200 and "不能重复添加" in response.get_data(as_text=True)
    response = client.post("/my/ip", data={**form, "number": "ZL202310123456"})
    assert "格式" in response.get_data(as_text=True)
