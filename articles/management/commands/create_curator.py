"""Create a staff user in the curators group: manage.py create_curator USERNAME [--email E] [--password-stdin]."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

GROUP = "curators"


class Command(BaseCommand):
    help = "Create a staff user who can curate figures (a member of the curators group, not a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read the password from the first line of standard input instead of prompting.",
        )

    def handle(self, *args, username, email, password_stdin, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"User “{username}” already exists; add them to the “{GROUP}” group in the admin.")
        try:
            group = Group.objects.get(name=GROUP)
        except Group.DoesNotExist:
            raise CommandError(f"The “{GROUP}” group does not exist; run manage.py migrate first.") from None
        password = self._read_password(password_stdin)
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(f"Created curator {username} (staff, group {GROUP}).")

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
            return password
        if not sys.stdin.isatty():
            raise CommandError("Not a terminal: pass --password-stdin and pipe the password in.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
