"""ReviewClaim: a curator's short hold on a figure in the review screen (issue 17); the held figures indexed by
confidence, the review queue's first look-up."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0013_article_source_url"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("metric", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, related_name="review_claim", to="articles.metric",
                )),
                ("user", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="review_claims",
                    to=settings.AUTH_USER_MODEL,
                )),
            ],
            options={"verbose_name": "review claim", "verbose_name_plural": "review claims"},
        ),
        migrations.AddIndex(
            model_name="metric",
            index=models.Index(
                fields=["confidence", "id"], condition=models.Q(("hold_reason", ""), _negated=True),
                name="metric_held_by_confidence",
            ),
        ),
    ]
