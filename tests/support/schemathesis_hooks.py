"""schemathesis hooks (SCHEMATHESIS_HOOKS=tests.support.schemathesis_hooks): besides what the OpenAPI
document describes, send the values that once ended in a 500 — dates at the extremes, cursors holding
huge integers or far-off times, and request bodies nested deeper than any parser should follow."""
import base64
import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.generation.value import GeneratedValue

# Only values the API must refuse: schemathesis may have generated the case as a schema-violating one,
# and a valid value put in its place would make it report "schema-violating request accepted".
HUGE_INTEGERS = st.sampled_from([10**30, -(10**30), 2**31, 2**63, -(2**63)]) | st.integers(min_value=2**31)
FAR_DATES = st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
FAR_TIMES = st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59.999999", "2026-01-01T00:00:00+14:00"])


def _encoded(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# Shaped like our cursors (base64 of a JSON list: [id] or [time, id]), holding values no row can have.
CURSORS = st.one_of(
    st.tuples(HUGE_INTEGERS),
    st.tuples(FAR_TIMES, HUGE_INTEGERS),
    st.lists(HUGE_INTEGERS | FAR_TIMES | st.floats(), min_size=1, max_size=3),
).map(lambda values: _encoded(list(values)))

# Python's JSON parser gives up near 1,000 levels (RecursionError), and schemathesis cannot copy bodies
# nested past ~250: a generated body {"__nested__": n} stands for n levels of brackets, written out
# by before_call below. Reports show the marker; the server got the brackets.
NESTED = "__nested__"
DEEP = st.fixed_dictionaries({NESTED: st.sampled_from([40, 1000, 5000]) | st.integers(min_value=33, max_value=5000)})


def nested_text(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def _extremes_for(operation) -> dict:
    extremes = {}
    for parameter in operation.query:
        schema = parameter.definition.get("schema", {})
        types = schema.get("type") or []
        if parameter.name == "cursor":
            extremes[parameter.name] = CURSORS
        elif schema.get("format") == "date":
            extremes[parameter.name] = FAR_DATES
        elif "integer" in ([types] if isinstance(types, str) else types):
            extremes[parameter.name] = HUGE_INTEGERS.map(str)
    return extremes


@schemathesis.hook
def before_generate_query(context, strategy):
    extremes = _extremes_for(context.operation)
    if not extremes:
        return strategy
    # one extreme parameter at a time: a refused `limit` would hide what the cursor does
    one_extreme = st.one_of(*(st.fixed_dictionaries({name: values}) for name, values in extremes.items()))
    return strategy | st.tuples(strategy, one_extreme).map(_with_extreme)


def _with_extreme(pair):
    """The generated query with one extreme parameter set; negative cases arrive wrapped with their metadata."""
    generated, extreme = pair
    if isinstance(generated, GeneratedValue):
        return generated.map_value(lambda query: {**(query or {}), **extreme})
    return {**(generated or {}), **extreme}


@schemathesis.hook
def before_generate_body(context, strategy):
    return strategy | DEEP


@schemathesis.hook
def before_call(context, case, kwargs):
    if isinstance(case.body, dict) and NESTED in case.body:
        kwargs["data"] = nested_text(case.body[NESTED])
