"""URL converters: ids in URLs stay within the database's integer range."""
from werkzeug.routing import IntegerConverter

from .bounds import DB_INT_MAX


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that answers 404 for ids no row can have, instead of overflowing the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def int_param_schema(converter: BoundedIntConverter) -> dict:
    """How the OpenAPI document describes such a path parameter."""
    return {"type": "integer", "minimum": 0, "maximum": converter.max}
