"""Every domain's models, imported in one place so that Alembic and the mappers see them all."""
from .accounts.models import Role, User, UserRole  # noqa: F401
from .investors.models import Fund, Institution  # noqa: F401
from .projects.models import Company, Project  # noqa: F401
from .roadshows.models import Application, Booking, RoadshowSession, Series, Slot, Venue  # noqa: F401
