"""The "curators" group: staff who review figures without being superusers."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "curators"

# Curators change metrics (and add the ones the extractor missed), fix article metadata, and see the rest.
PERMISSIONS = {
    "metric": ["view", "add", "change"],
    "article": ["view", "change"],
    "paragraph": ["view"],
    "province": ["view"],
    "recipientarea": ["view"],
    "pairing": ["view"],
    "sourcefile": ["view"],
}


def create_curators_group(apps, schema_editor):
    # Permissions are normally made by post_migrate, after every migration has run; on a fresh database
    # they do not exist yet here. create_permissions needs a real app config, so take it from the global
    # registry (the historical one has no models module).
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="articles", codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for the curators group: {sorted(missing)}")
    group.permissions.add(*permissions)


def remove_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_curators_group, remove_curators_group),
    ]
