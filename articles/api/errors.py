"""The API's errors as JSON naming what was wrong: `{"detail": ..., "parameter": name}` with 400 for bad input."""

from ninja import NinjaAPI
from ninja.errors import ValidationError


class BadParameter(Exception):
    """A query or path parameter the API cannot read: answered 400, naming it."""

    def __init__(self, parameter: str, detail: str):
        super().__init__(f"{parameter}: {detail}")
        self.parameter = parameter
        self.detail = detail


def install(api: NinjaAPI) -> None:
    """Bad parameters, ours or those ninja checks against a declared type, answer 400 in one shape."""

    def bad_parameter(request, exc: BadParameter):
        return api.create_response(request, {"detail": exc.detail, "parameter": exc.parameter}, status=400)

    def invalid(request, exc: ValidationError):
        first = exc.errors[0]
        # ninja's location is (source, name, …): ("path", "article_id") or ("query", "limit").
        location = first.get("loc") or ()
        parameter = str(location[1]) if len(location) > 1 else str(location[0] if location else "")
        return bad_parameter(request, BadParameter(parameter, first.get("msg", "Invalid value.")))

    api.add_exception_handler(BadParameter, bad_parameter)
    api.add_exception_handler(ValidationError, invalid)
