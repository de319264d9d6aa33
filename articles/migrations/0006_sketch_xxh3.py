"""Recompute every article's sketch: shingle hashes changed from BLAKE2b to XXH3 (articles.text.dedupe).

Without it, articles imported before the change would never be found as near-copy candidates of articles
imported after it, since their sketch values would come from another hash function.
"""

from django.db import migrations

CHUNK = 500


def recompute_sketches(apps, schema_editor):
    from articles.text.dedupe import shingles, sketch

    Article = apps.get_model("articles", "Article")
    ArticleSketch = apps.get_model("articles", "ArticleSketch")
    Paragraph = apps.get_model("articles", "Paragraph")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        texts: dict[int, list[str]] = {pk: [] for pk in chunk}
        rows = Paragraph.objects.filter(article_id__in=chunk).order_by("article_id", "position")
        for article_id, text in rows.values_list("article_id", "text"):
            texts[article_id].append(text)
        ArticleSketch.objects.filter(article_id__in=chunk).delete()
        ArticleSketch.objects.bulk_create(
            ArticleSketch(article_id=pk, value=value)
            for pk, paragraph_texts in texts.items()
            for value in sketch(shingles("\n".join(paragraph_texts)))
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_verbose_names")]

    # Backwards there is nothing to undo that the old code could use: it would need BLAKE2b sketches again.
    operations = [migrations.RunPython(recompute_sketches, migrations.RunPython.noop, elidable=True)]
