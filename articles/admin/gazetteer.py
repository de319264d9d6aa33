"""Donor provinces, recipient areas and their pairings, each searchable for the metrics' autocomplete."""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Pairing, Province, RecipientArea
from . import display
from .base import GuardedHistoryAdmin
from .parameters import ParsedIdsMixin

GAZETTEER_SEARCH = ("name_zh", "name_en", "slug", "aliases")


class AliasSearchMixin:
    """Search in the aliases list as well when it is stored as ASCII-escaped JSON (SQLite: "\\u5357…")."""

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        escaped = json.dumps(term)[1:-1]
        if term and escaped != term:
            found |= queryset.filter(aliases__icontains=escaped)
        return found, may_have_duplicates


class PairingInline(admin.TabularInline):
    model = Pairing
    extra = 0
    fields = ("province", "area", "confidence", "source", "note")


class ProvincePairingInline(PairingInline):
    autocomplete_fields = ("area",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")


class AreaPairingInline(PairingInline):
    autocomplete_fields = ("province",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


@admin.register(Province)
class ProvinceAdmin(ParsedIdsMixin, AliasSearchMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    list_display = ("name_zh", "name_en", "slug", "parent")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.EmptyFieldListFilter),)
    search_fields = GAZETTEER_SEARCH
    ordering = ("parent_id", "slug")
    autocomplete_fields = ("parent",)
    readonly_fields = ("public_page", "recent_changes")
    inlines = (ProvincePairingInline,)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return display.public_link(obj)


@admin.register(RecipientArea)
class RecipientAreaAdmin(ParsedIdsMixin, AliasSearchMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    list_display = ("name_zh", "name_en", "slug", "level", "parent", "adcode")
    list_select_related = ("parent",)
    list_filter = ("level",)
    search_fields = GAZETTEER_SEARCH
    ordering = ("slug",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("public_page", "recent_changes")
    inlines = (AreaPairingInline,)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return display.public_link(obj)


@admin.register(Pairing)
class PairingAdmin(ParsedIdsMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    list_display = ("province", "area", "confidence", "source")
    list_select_related = ("province", "area")
    list_filter = ("confidence", "province")
    search_fields = ("province__name_zh", "area__name_zh", "area__name_en", "source")
    autocomplete_fields = ("province", "area")
    readonly_fields = ("recent_changes",)
