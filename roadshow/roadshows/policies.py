"""Who may see and act on bookings, who may register as which attendee type, who holds a seat (the live room
asks here too), and who manages a session's registration (its questions, the answers)."""
import sqlalchemy as sa

from ..accounts.models import Role, User
from ..extensions import db
from ..organisers.policies import can_manage_session, organises
from .models import AttendeeType, Booking, BookingStatus, RoadshowSession, Series


def owns_booking(user: User, booking: Booking) -> bool:
    """A booking is its holder's own: nobody else learns it exists."""
    return user.is_authenticated and booking.user_id == user.id


def has_seat(user: User, session: RoadshowSession) -> bool:
    """A confirmed booking (of any attendee type) for the session: enter its live room as an attendee, ask, vote."""
    return user.is_authenticated and db.session.scalar(
        sa.select(Booking.id).where(Booking.session_id == session.id, Booking.user_id == user.id,
                                    Booking.status == BookingStatus.CONFIRMED)
    ) is not None


def may_register_as(user: User, attendee_type: AttendeeType) -> bool:
    """Investors' seats are for investor accounts, startups' for startup accounts (a company's staff); a seat
    for the public is for anyone signed in, whatever their role."""
    if not user.is_authenticated or user.is_disabled:
        return False
    if attendee_type is AttendeeType.INVESTOR:
        return user.has_role(Role.INVESTOR)
    if attendee_type is AttendeeType.STARTUP:
        return user.has_role(Role.STARTUP)
    return True


def registrable_types(user: User, session: RoadshowSession) -> list[AttendeeType]:
    """The attendee types the session admits that this person may register as."""
    return [t for t in session.attendee_types if may_register_as(user, t)]


def can_manage_registration(user: User, session: RoadshowSession) -> bool:
    """A session's questions and registrants: the center's admins and the organiser running its series."""
    return user.is_authenticated and (user.is_admin or can_manage_session(user, session))


def can_manage_series_registration(user: User, series: Series) -> bool:
    return user.is_authenticated and (user.is_admin or organises(user, series))
