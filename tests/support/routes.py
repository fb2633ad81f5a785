"""URLs for every route of the app, with sample arguments, for tests that walk the URL map."""


def sample_url(app, rule) -> str:
    """The rule's URL with 1 for each id (the first choice for `any(...)` arguments)."""
    values = {arg: sorted(getattr(rule._converters[arg], "items", [1]))[0] for arg in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)
