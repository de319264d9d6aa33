"""Ids in the admin's addresses and query strings, read as the public pages read them (`articles.params`)."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from ..params import parse_id


class IdAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose submitted value is shown again only if it is an id (Django looks up "²" and fails)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if parse_id(str(v)) is not None], attr)


class ParsedIdsMixin:
    """Admin views given an id that cannot exist answer 404 or leave it out, never 500.

    Every model here has whole-number ids; Django's admin and django-simple-history pass an id from the
    address or the query string to the database as it came ("²", "1.5", an empty `_to_field`).
    """

    def get_object(self, request, object_id, from_field=None):
        # An empty ?_to_field= means the primary key (Django would look up a field named "").
        return super().get_object(request, object_id, from_field or None)

    def get_changeform_initial_data(self, request):
        """The add form's initial values from the query string, without related rows that are not ids."""
        initial = super().get_changeform_initial_data(request)
        for field in self.model._meta.fields:
            if field.is_relation and field.name in initial and parse_id(str(initial[field.name])) is None:
                del initial[field.name]
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = IdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        """A bulk action whose selection holds something else than ids is refused with a message."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(parse_id(value) is None for value in selected):
            self.message_user(request, _("The selection holds something that is not an id: select the rows again."),
                              messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        if parse_id(unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if parse_id(unquote(object_id)) is None or parse_id(version_id) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
