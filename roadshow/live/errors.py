"""Refusals in a live room carry a stable code for the client besides the user's message."""
from ..common.errors import RuleViolation


class LiveError(RuleViolation):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def payload(self) -> dict:
        return {"code": self.code, "message": str(self)}


def error_payload(exc: RuleViolation) -> dict:
    """Any service refusal as the `error` event's body; rules from other domains get a generic code."""
    return exc.payload() if isinstance(exc, LiveError) else {"code": "refused", "message": str(exc)}
