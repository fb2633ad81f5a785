"""PostgreSQL text cannot hold NUL characters (SQLite's can), and a query carrying one fails with a
server error. They are dropped from every string parameter, so junk input (a pasted control character,
a fuzzer's `%00`) behaves on PostgreSQL as it does on SQLite."""
from collections.abc import Mapping

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


def _clean_row(row):
    if isinstance(row, Mapping):
        return {key: _clean(value) for key, value in row.items()}
    return type(row)(_clean(value) for value in row)


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def _drop_nul_characters(connection, _cursor, statement, parameters, _context, executemany):
    if connection.dialect.name != "postgresql" or not parameters:
        return statement, parameters
    if executemany and not isinstance(parameters, Mapping):  # "insertmanyvalues" batches pass one mapping
        return statement, [_clean_row(row) for row in parameters]
    return statement, _clean_row(parameters)
