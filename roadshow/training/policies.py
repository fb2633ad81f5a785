"""Who manages a course and its materials, and who may read a material.

A course is a training series: the center's admins and the organiser running the series manage it
(another organiser's courses answer 404 like missing ones). Materials are read by those registered
for the session (a confirmed booking, whatever kind of attendee), and by everyone once made public."""
from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import User
from ..extensions import db
from ..organisers.policies import organiser_id_of, organises
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, Series
from .models import Certificate, TrainingMaterial


def is_course(series: Series | None) -> bool:
    return series is not None and series.kind.is_training


def is_training_session(_user: User, session: RoadshowSession) -> bool:
    """A session of a training series: its materials page is public (what each reader sees is decided per material)."""
    return is_course(session.series)


def may_run_courses(user: User) -> bool:
    """The role gate of the course pages: an admin, or a member of an approved organiser."""
    return user.is_authenticated and (user.is_admin or organiser_id_of(user) is not None)


def can_manage_course(user: User, series: Series) -> bool:
    return is_course(series) and user.is_authenticated and (user.is_admin or organises(user, series))


def can_manage_materials(user: User, session: RoadshowSession) -> bool:
    return session.series is not None and can_manage_course(user, session.series)


def is_registered(user: User, session: RoadshowSession) -> bool:
    """Holds a confirmed registration (booking) for the session."""
    if not user.is_authenticated:
        return False
    return db.session.scalar(sa.select(Booking.id).where(
        Booking.session_id == session.id, Booking.user_id == user.id, Booking.status == BookingStatus.CONFIRMED,
    ).limit(1)) is not None


def can_manage_material(user: User, material: TrainingMaterial) -> bool:
    return can_manage_materials(user, material.session)


def can_read_material(user: User, material: TrainingMaterial) -> bool:
    if not is_training_session(user, material.session):
        return False
    return material.is_public or can_manage_material(user, material) or is_registered(user, material.session)


def is_registered_for_course(user: User, series: Series) -> bool:
    """Holds a confirmed registration for at least one session of the training series."""
    if not is_course(series) or not user.is_authenticated:
        return False
    return db.session.scalar(sa.select(Booking.id).join(RoadshowSession, Booking.session_id == RoadshowSession.id).where(
        RoadshowSession.series_id == series.id, Booking.user_id == user.id, Booking.status == BookingStatus.CONFIRMED,
    ).limit(1)) is not None


def owns_certificate(user: User, certificate: Certificate) -> bool:
    return user.is_authenticated and certificate.user_id == user.id
