"""The address a request came from, seen through the trusted proxy in front of gunicorn (for django-axes)."""

from django.conf import settings


def client_ip(request) -> str:
    """The peer's address, or, when the peer is a trusted proxy, the last address it added to X-Forwarded-For.

    Behind a proxy every request comes from the proxy's address; locking out by that address would lock a
    curator out whenever anyone else mistypes. Only the right-most entry is the proxy's own word: the ones to
    its left were sent by the client and can be anything.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    trusted = settings.FORWARDED_ALLOW_IPS
    if forwarded and ("*" in trusted or peer in trusted):
        return forwarded.rsplit(",", 1)[-1].strip() or peer
    return peer
