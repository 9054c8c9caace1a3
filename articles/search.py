"""Ranked article search: PostgreSQL full-text search, or a plain word match elsewhere (SQLite)."""

import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When

from clinic.languages import page_language

from .models import ArticleQuerySet

MAX_TERMS = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """What a reader typed, without control characters (PostgreSQL refuses a NUL byte), trimmed to a sane length."""
    printable = "".join(char if unicodedata.category(char) != "Cc" else " " for char in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_articles(articles: ArticleQuerySet, query: str) -> ArticleQuerySet:
    """Articles matching every word of `query`, best match first (title over summary over body)."""
    if connection.vendor == "postgresql":
        return _postgres_search(articles, query)
    return _fallback_search(articles, query)


def _postgres_search(articles: ArticleQuerySet, query: str) -> ArticleQuerySet:
    config = settings.ARTICLE_SEARCH_CONFIGS[page_language()]
    body_text = Func(
        F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField()
    )
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector(body_text, weight="C", config=config)
    )
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        articles.annotate(search=vector)
        .filter(search=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "-published_at", "-pk")
    )


def _fallback_search(articles: ArticleQuerySet, query: str) -> ArticleQuerySet:
    terms = query.split()[:MAX_TERMS]
    rank = Value(0, output_field=IntegerField())
    for term in terms:
        articles = articles.filter(Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term))
        rank = rank + Case(
            When(title__icontains=term, then=Value(4)),
            When(summary__icontains=term, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return articles.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
