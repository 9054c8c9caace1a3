"""The articles app's models: the article and what belongs to it alone (article.py), what articles are
filed under and credited to (filing.py), and pictures uploaded for article text (pictures.py),
and what waits for review and publishing (review.py)."""

from .article import Article, ArticleQuerySet, Reference, SlugRedirect, content_version_sql
from .filing import Category, Contributor, Tag
from .pictures import BodyImage
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
