"""Who may see and act on bookings, and who holds a seat (the live room asks here too)."""
from ..accounts.models import User
from .models import Booking, RoadshowSession
from .services import active_booking


def owns_booking(user: User, booking: Booking) -> bool:
    """A booking is its investor's own: nobody else learns it exists."""
    return user.is_authenticated and booking.user_id == user.id


def has_seat(user: User, session: RoadshowSession) -> bool:
    """A confirmed booking for the session: enter its live room as an attendee, ask, vote."""
    return user.is_authenticated and active_booking(session, user) is not None
