import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Review
from articles.seo import article_json_ld

register = template.Library()

# The characters that could end the <script> element or start markup, as json_script escapes them.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_structured_data(context, article: Article) -> SafeString:
    """The article's schema.org JSON-LD, escaped so no title or summary can close the script element."""
    data = json.dumps(article_json_ld(article, context["request"]), cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped like json_script
    )


@register.simple_tag
def review_overdue_count() -> int:
    return Article.objects.review_overdue().count()


QUEUE_SHOWN = 20


@register.simple_tag
def review_queue() -> list[Review]:
    """What waits for a medical reviewer, oldest first."""
    return list(Review.objects.waiting().select_related("article", "submitted_by")[:QUEUE_SHOWN])


@register.simple_tag
def review_decisions(user) -> list[Review]:
    """For an editor: the reviews they asked for that came back and still ask something of them — sent back,
    or approved and not yet published — newest first."""
    latest = Review.objects.filter(article=OuterRef("article")).order_by("-submitted_at", "-pk").values("pk")[:1]
    unpublished = Q(change__state="pending") | Q(change=None, article__status=Article.Status.DRAFT)
    return list(
        Review.objects.filter(submitted_by=user, pk=Subquery(latest))
        .filter(Q(state=Review.State.SENT_BACK) | Q(state=Review.State.APPROVED) & unpublished)
        .select_related("article", "reviewer")
        .order_by("-decided_at")[:QUEUE_SHOWN]
    )


@register.filter
def machine_datetime(value) -> str:
    """For <time datetime>: local ISO 8601 to the second (HTML allows at most three digits of fractions)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""
