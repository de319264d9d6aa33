"""Curators asking for the same figure at the same instant, from separate processes: exactly one gets it.

Real processes against a database of their own (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL
points at PostgreSQL, as tests/test_concurrency.py does), since the test database is not shared between processes.
"""

import subprocess
import sys
import time
from pathlib import Path

from tests.test_concurrency import database_url  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
CURATORS = 4

SETUP = """
import os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings"); django.setup()
from django.contrib.auth.models import User
from tests.factories import make_article, make_metric
article = make_article(paragraphs=["江苏投入援疆资金12亿元。"])
print(make_metric(article, "12亿元", 1_200_000_000).pk)
for n in range(%(curators)d):
    User.objects.create_user(f"curator{n}", is_staff=True)
"""

TAKE = """
import os, sys, time, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings"); django.setup()
from django.contrib.auth.models import User
from articles.review import claims
user = User.objects.get(username=sys.argv[1])
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # all start together
print(claims.take(int(sys.argv[2]), user))
"""


def test_one_figure_claimed_at_once_by_four_curators_goes_to_one(database_url):  # noqa: F811
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    metric_id = subprocess.run([sys.executable, "-c", SETUP % {"curators": CURATORS}], env=env, cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip()
    start = str(time.time() + 4)
    takers = [
        subprocess.Popen([sys.executable, "-c", TAKE, f"curator{n}", metric_id, start], env=env, cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(CURATORS)
    ]
    answers = [taker.communicate(timeout=120) for taker in takers]
    assert [err for _out, err in answers if err] == []
    assert sorted(out.strip() for out, _err in answers) == ["False"] * (CURATORS - 1) + ["True"]
