"""What an imported benchmark database holds, as one line of JSON (articles, paragraphs, metrics, size)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from articles.models import Article, Metric, Paragraph, SourceFile  # noqa: E402


def database_megabytes() -> float:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0] / 1048576
    path = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1048576


print(json.dumps({
    "files": SourceFile.objects.count(),
    "articles": Article.objects.count(),
    "aid_articles": Article.objects.about_aid().count(),
    "near_copies": Article.objects.filter(duplicate_of__isnull=False).count(),
    "paragraphs": Paragraph.objects.count(),
    "metrics": Metric.objects.count(),
    "counted_metrics": Metric.objects.counted().count(),
    "database_mb": round(database_megabytes(), 1),
}))
