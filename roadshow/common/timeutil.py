"""Times are stored as naive UTC in the database and shown in Asia/Shanghai."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DISPLAY_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Naive UTC now; a callable column default, never a value computed at import."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(value: datetime) -> datetime:
    """A stored naive-UTC datetime as an aware Asia/Shanghai datetime."""
    return value.replace(tzinfo=timezone.utc).astimezone(DISPLAY_TZ)


def local_to_utc(value: datetime) -> datetime:
    """A naive datetime entered in Asia/Shanghai as naive UTC for storage."""
    return value.replace(tzinfo=DISPLAY_TZ).astimezone(timezone.utc).replace(tzinfo=None)
