"""Every domain's models, imported in one place so that Alembic and the mappers see them all."""
from .accounts.models import Role, User, UserRole  # noqa: F401
from .investors.models import Fund, Institution  # noqa: F401
from .projects.models import Company, Project  # noqa: F401
from .roadshows.models import Application, Booking, RoadshowSession, Series, Slot, Venue, WaitlistEntry  # noqa: F401
from .notifications.models import Notification, OutboxEmail  # noqa: F401
from .screening import models as _screening  # noqa: F401
from .scheduling import models as _scheduling  # noqa: F401
from .jobs import models as _jobs  # noqa: F401
from .live import models as _live  # noqa: F401
from .matching import models as _matching  # noqa: F401
from .meetings import models as _meetings  # noqa: F401
from .deals import models as _deals  # noqa: F401
from .matchmaking import models as _matchmaking  # noqa: F401
from .feedback import models as _feedback  # noqa: F401
from .conversations import models as _conversations  # noqa: F401
from .api.models import ApiToken  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .loans import models as _loans  # noqa: F401
from .financing import models as _financing  # noqa: F401
from .official import models as _official  # noqa: F401
from .webhooks import models as _webhooks  # noqa: F401
from .organisers import models as _organisers  # noqa: F401
from .checkin import models as _checkin  # noqa: F401
from .training import models as _training  # noqa: F401
from .listing import models as _listing  # noqa: F401
