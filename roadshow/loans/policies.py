"""Who may see and act on loan products, loan applications and IP assets."""
from ..accounts.models import User
from .models import IpAsset, LoanApplication, LoanProduct


def is_lender(user: User) -> bool:
    """A member of a bank, guarantor or tech-insurer (verified or not: it may prepare products)."""
    return bool(user.is_authenticated and user.institution is not None and user.institution.type.is_lender)


def can_view_product(user: User, product: LoanProduct) -> bool:
    """Published products of verified lenders are public; the others only for the lender's members and admins."""
    if product.is_published and product.institution.is_verified:
        return True
    return bool(user.is_authenticated and (user.institution_id == product.institution_id or user.is_admin))


def can_manage_product(user: User, product: LoanProduct) -> bool:
    return bool(user.is_authenticated and user.institution_id is not None
                and user.institution_id == product.institution_id)


def is_applicant_company(user: User, application: LoanApplication) -> bool:
    return bool(user.is_authenticated and user.company_id is not None and user.company_id == application.company_id)


def is_deciding_lender(user: User, application: LoanApplication) -> bool:
    return bool(user.is_authenticated and user.institution_id is not None
                and user.institution_id == application.product.institution_id)


def can_view_loan_application(user: User, application: LoanApplication) -> bool:
    """The applying company, the lender it applied to, and admins."""
    return is_applicant_company(user, application) or is_deciding_lender(user, application) or bool(
        user.is_authenticated and user.is_admin)


def owns_ip_asset(user: User, asset: IpAsset) -> bool:
    return bool(user.is_authenticated and user.company_id is not None and user.company_id == asset.company_id)
