"""The articles app's models: the article and its language versions (article.py), what it cites (references.py)
and its earlier addresses (addresses.py), what articles are
filed under and credited to (filing.py), and pictures uploaded for article text (pictures.py),
what waits for review and publishing (review.py), and what the page cache asks (freshness.py)."""

from .addresses import SlugRedirect
from .article import Article, ArticleQuerySet
from .filing import Category, Contributor, Tag
from .freshness import content_version_sql
from .pictures import BodyImage
from .references import Reference
from .review import PendingChange, Review

__all__ = [
    "Article",
    "ArticleQuerySet",
    "BodyImage",
    "Category",
    "Contributor",
    "PendingChange",
    "Reference",
    "Review",
    "SlugRedirect",
    "Tag",
    "content_version_sql",
]
