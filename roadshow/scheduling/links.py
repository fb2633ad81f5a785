"""Links to pages from code that may run outside a request (jobs), e.g. in notifications."""
from flask import current_app, has_request_context, url_for


def page_path(endpoint: str, **values) -> str:
    """The path of a page; outside a request it is built from the URL map directly."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def session_path(session_id: int) -> str:
    return page_path("roadshows.session_detail", session_id=session_id)
