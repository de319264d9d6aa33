"""Django's user and group pages, re-registered to read ids as every other admin page does."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from .parameters import ParsedIdsMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ParsedIdsMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(ParsedIdsMixin, auth_admin.GroupAdmin):
    pass
