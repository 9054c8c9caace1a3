"""What the page cache asks to know whether the public article pages may have changed."""

from django.db import connection

from .article import Article
from .filing import Category, Contributor, Tag
from .references import Reference


def content_version_sql() -> tuple[list[str], list]:
    """For PAGE_CACHE_VERSIONS (clinic/page_cache.py asks every part in one query): figures that change
    whenever what the public pages show of articles may have changed — a row added to, removed from or
    saved in any table an article is shown with (an edit, a publish, a deletion, a renamed tag, a
    reviewer's approval or new credentials), or a scheduled article going live."""
    # Only table and column names from the models' metadata, quoted by the backend, are written
    # into the SQL; the one value (the time, for what is live now) is a parameter.
    quote = connection.ops.quote_name
    live_sql, params = Article.objects.published().order_by().values("pk").query.sql_with_params()
    columns = [f"(SELECT COUNT(*) FROM ({live_sql}) live)"]  # noqa: S608
    for model in (Article, Article.tags.through, Category, Tag, Contributor, Reference):
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]  # noqa: S608
        if any(field.name == "updated_at" for field in model._meta.fields):
            columns.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608
    return columns, list(params)
