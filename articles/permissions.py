"""Who may use the curators' pages outside the admin's own views (the review screen, second review)."""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied


def curator_required(view):
    """Staff with the admin's permission to change figures, as the admin's change form asks; other staff get
    403, the anonymous the admin's login."""
    @staff_member_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm("articles.change_metric"):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return guarded
