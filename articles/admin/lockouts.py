"""django-axes' login records, as the operators see them, held to the rules of every other admin page: ids read
as ids (a bare ?_to_field= gave a 500; tests/test_request_fuzz.py), no POST without its permission, and the
cleanup action needs the right to delete (axes declares none, so any staff user who may view lock-outs could
run it; tests/test_admin_permissions.py)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .base import GuardedAdmin
from .parameters import ParsedIdsMixin


class GuardedAccessAttemptAdmin(ParsedIdsMixin, GuardedAdmin, AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


class GuardedAccessLogAdmin(ParsedIdsMixin, GuardedAdmin, AccessLogAdmin):
    pass


class GuardedAccessFailureLogAdmin(ParsedIdsMixin, GuardedAdmin, AccessFailureLogAdmin):
    pass


for model, model_admin in ((AccessAttempt, GuardedAccessAttemptAdmin), (AccessLog, GuardedAccessLogAdmin),
                           (AccessFailureLog, GuardedAccessFailureLogAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
