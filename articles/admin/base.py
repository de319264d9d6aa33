"""The base of every model admin here: no write without the permission it needs, history kept."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from simple_history.admin import SimpleHistoryAdmin


class GuardedAdmin(admin.ModelAdmin):
    """A change list POST naming an action the user may not run is refused with 403.

    Django answers it with the change list again, which hides the refusal. tests/test_admin_permissions.py
    walks every admin URL that accepts POST.
    """

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if action is not None and action not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class GuardedHistoryAdmin(GuardedAdmin, SimpleHistoryAdmin):
    """History kept, and its revert form saves only for a user who may change the object.

    django-simple-history's history_form_view saves the posted form for anyone who may *view* the object.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            allowed = (
                self.has_change_permission(request, current) if current is not None
                # Reverting a deleted row creates it again.
                else self.has_add_permission(request) and self.has_change_permission(request)
            )
            if not allowed:
                raise PermissionDenied
        # One transaction, as the change form has: a check made while saving holds until the save is done.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class GuardedUserAdmin(GuardedAdmin, UserAdmin):
    pass


class GuardedGroupAdmin(GuardedAdmin, GroupAdmin):
    pass

