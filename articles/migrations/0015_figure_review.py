"""FigureReview: one curator's coding of a figure in a round of the second review (issue 17). A new table only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_review_claim'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FigureReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(choices=[(1, 'first curator (verified it)'), (2, 'second curator (blind)'), (3, 'third look (decides)')])),
                ('kind', models.CharField(choices=[('funding', 'Aid funding'), ('investment', 'Investment'), ('output_value', 'Output value'), ('income', 'Income'), ('projects', 'Projects'), ('enterprises', 'Enterprises'), ('jobs', 'Jobs'), ('trainees', 'People trained'), ('cadres', 'Cadres and talents sent'), ('beneficiaries', 'Beneficiaries'), ('facilities', 'Facilities built'), ('area', 'Area'), ('production', 'Production capacity'), ('share', 'Share'), ('other', 'Other')], max_length=16, verbose_name='kind')),
                ('sector', models.CharField(choices=[('industry', 'Industry'), ('employment', 'Employment'), ('education', 'Education'), ('health', 'Health'), ('livelihood', 'Livelihood'), ('talent', 'Talent'), ('culture', 'Culture and tourism'), ('agriculture', 'Agriculture'), ('exchange', 'Exchange'), ('trade', 'Trade'), ('general', 'General')], max_length=16, verbose_name='sector')),
                ('stage', models.CharField(choices=[('planned', 'planned'), ('committed', 'committed'), ('achieved', 'achieved'), ('unknown', 'unknown')], max_length=12, verbose_name='stage')),
                ('decided_at', models.DateTimeField(verbose_name='decided at')),
                ('differs_on', models.CharField(blank=True, help_text='Round 2: the fields coded otherwise than in round 1, comma-separated; empty when they agree', max_length=64, verbose_name='differs on')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.recipientarea', verbose_name='recipient area')),
                ('metric', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='articles.metric')),
                ('province', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.province', verbose_name='donor province')),
                ('reviewer', models.ForeignKey(blank=True, help_text="Empty when the figure's history does not say who verified it", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='figure_reviews', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'figure review',
                'verbose_name_plural': 'figure reviews',
                'indexes': [models.Index(fields=['round', 'metric'], name='articles_fi_round_6af6e4_idx')],
                'constraints': [models.UniqueConstraint(fields=('metric', 'round'), name='one_review_per_round')],
            },
        ),
    ]
