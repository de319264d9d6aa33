"""django-axes' login lock-outs, as the operators see them: its cleanup action needs the right to delete.

Axes declares no permission on `cleanup_expired_attempts`, so any staff user who may view lock-outs could run
it; the permission walk in tests/test_admin_permissions.py found this.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .base import GuardedAdmin
from .parameters import ParsedIdsMixin


class GuardedAccessAttemptAdmin(ParsedIdsMixin, GuardedAdmin, AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, GuardedAccessAttemptAdmin)
