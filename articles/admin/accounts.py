"""Django's user and group pages, re-registered to read ids as every other admin page does and to refuse
a POST the user has no permission for (articles/admin/base.py)."""

from django.contrib import admin
from django.contrib.auth.models import Group, User

from .base import GuardedGroupAdmin, GuardedUserAdmin
from .parameters import ParsedIdsMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ParsedIdsMixin, GuardedUserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(ParsedIdsMixin, GuardedGroupAdmin):
    pass
