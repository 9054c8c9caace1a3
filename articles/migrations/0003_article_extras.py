from django.db import migrations, models


def extras_for(tags, references) -> dict:
    # A copy of articles.models.extras_for as it was when this migration was
    # written, so later changes to the model code never change what it does.
    return {
        "tags": [{"id": tag.pk, "name": tag.name, "slug": tag.slug} for tag in tags],
        "references": [
            {"title": ref.title, "source": ref.source, "year": ref.year, "url": ref.url, "doi": ref.doi}
            for ref in references
        ],
    }


def fill_extras(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.prefetch_related("tags", "references").iterator(chunk_size=200):
        extras = extras_for(
            sorted(article.tags.all(), key=lambda tag: tag.name),
            sorted(article.references.all(), key=lambda ref: (ref.position, ref.pk)),
        )
        Article.objects.filter(pk=article.pk).update(extras=extras)  # leaves updated_at as it was


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_publishing_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="extras",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="tags and references as published"
            ),
        ),
        migrations.RunPython(fill_extras, migrations.RunPython.noop),
    ]
