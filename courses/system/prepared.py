"""Queries of the hottest request paths, compiled to SQL once (issue 20).

Django builds and compiles a queryset into SQL every time it runs it. For the learner's
queries on every lesson page and course page, that is 0.3 to 0.6 ms of Python around 0.2 ms
that PostgreSQL takes (bench/run.py --profile): more than the query itself. A PreparedQuery
is written as any queryset, by a function of the values that change from one request to the
next; it is built and compiled once per process with stand-in values, and run again with the
request's values in their place. Its rows go through Django's own conversions
(an aware datetime from SQLite, a Decimal, a bool), as the queryset's would.

What it takes, checked when it is compiled:

- a ``values_list()`` queryset (rows as tuples, no model instances);
- each value an ``int`` or a ``str`` that reaches the SQL as one parameter of its own: a
  filter on a column (``user_id=user_id``), not a list (``__in``, whose SQL depends on its
  length) nor a value the ORM transforms (``__contains`` wraps it in %...%);
- nothing else that changes: whatever else ``build`` computes (the time, a setting) is
  computed once, at the first call, and kept in the SQL;
- values compared for equality (an int beyond 64 bits, which no column holds, finds no row
  without a query, as the ORM does).

Statements run through the connection's cursor as the ORM's do: counted by
``django_assert_num_queries``, timed by ``execute_wrapper``, inside the caller's transaction.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, QuerySet
from django.db.models.query import ValuesListIterable

# The queryset is compiled twice, with two sets of stand-in values: the parameters that differ
# are the values', the others constants (even one equal to a stand-in). Small positive ints,
# within the range of any integer column (the ORM finds nothing for a value beyond it).
_STAND_INS = ((30_001, "\x00a"), (30_501, "\x00b"))
# SQLite cannot carry an int beyond 64 bits (the ORM finds no row for one without asking).
_INT_RANGE = range(-(2**63), 2**63)


class PreparedQueryError(Exception):
    """The queryset cannot be run again with other values (see the module's docstring)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[str | None, ...]  # for each parameter, the value it takes, or None: constant
    constants: tuple[Any, ...]
    columns: tuple[Expression, ...]  # what each column of a row is, for its conversion
    width: int | None  # the columns of a row, when the SQL selects more (to order by them)


class PreparedQuery:
    """``build(**values)``, a values_list() queryset, compiled once per database (its SQL is
    that database's); ``rows(**values)`` runs it with these values: a list of tuples."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.using = using
        self.names = tuple(inspect.signature(build).parameters)
        self._compiled: _Compiled | None = None

    def rows(self, **values: int | str) -> list[tuple[Any, ...]]:
        if set(values) != set(self.names):
            raise TypeError(f"{self.build.__qualname__} takes {self.names}, not {sorted(values)}")
        if any(isinstance(value, int) and value not in _INT_RANGE for value in values.values()):
            return []
        connection = connections[self.using]
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = self._compile(connection, values)
        params = [
            values[slot] if slot is not None else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        converters = [
            (position, converters, column)
            for position, column in enumerate(compiled.columns)
            if (
                converters := connection.ops.get_db_converters(column)
                + column.get_db_converters(connection)
            )
        ]
        rows = []
        for row in fetched:
            values_read = list(row[: compiled.width])
            for position, functions, column in converters:
                value = values_read[position]
                for function in functions:
                    value = function(value, column, connection)
                values_read[position] = value
            rows.append(tuple(values_read))
        return rows

    def _compile(self, connection: BaseDatabaseWrapper, values: dict[str, int | str]) -> _Compiled:
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise PreparedQueryError(f"{name}: an int or a str, not {type(value).__name__}")
        compiled = []
        for base, mark in _STAND_INS:
            stand_ins = {
                name: base + number if isinstance(values[name], int) else f"{mark}{number}"
                for number, name in enumerate(self.names)
            }
            queryset = self.build(**stand_ins)
            if queryset._iterable_class is not ValuesListIterable:
                raise PreparedQueryError(f"{self.build.__qualname__}: a values_list() queryset")
            compiler = queryset.query.get_compiler(using=self.using, connection=connection)
            sql, params = compiler.as_sql()
            compiled.append((stand_ins, compiler, sql, tuple(params)))
        (first, compiler, sql, params), (second, _compiler, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise PreparedQueryError(f"{self.build.__qualname__}: its SQL depends on the values")
        by_value = {(first[name], second[name]): name for name in self.names}
        slots: list[str | None] = []
        for param, other in zip(params, other_params, strict=True):
            if param == other:
                slots.append(None)
            elif (param, other) in by_value:
                slots.append(by_value[param, other])
            else:
                raise PreparedQueryError(
                    f"{self.build.__qualname__}: a value is transformed on its way to the SQL"
                )
        missing = set(self.names) - set(slots)
        if missing:
            raise PreparedQueryError(
                f"{self.build.__qualname__}: {sorted(missing)} did not reach the SQL as a "
                "parameter of its own"
            )
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            constants=params,
            columns=tuple(column[0] for column in compiler.select[: compiler.col_count]),
            width=compiler.col_count if compiler.has_extra_select else None,
        )
