"""The one place a request's "verified only" switch (`?verified=1`) is read: views and templates ask here."""


def verified_only(request) -> bool:
    """Whether the visitor asked for verified figures only: every total, link and form of the page keeps it."""
    return request.GET.get("verified") == "1"


def verified(request) -> dict:
    """`verified_only` for every template (the header's switch, hidden form fields, links that keep it)."""
    return {"verified_only": verified_only(request)}
