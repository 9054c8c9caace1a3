from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from reversion.models import Version

from appointments.forms import AppointmentRequestForm
from appointments.views import handle_appointment_form
from clinic.languages import page_language
from clinic.page_cache import cached_page

from . import versions, workflow
from .models import Article, Category, SlugRedirect, Tag
from .search import clean_query, search_articles

PAGE_SIZE = 10


def _page(request: HttpRequest, articles):
    return Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))


@cached_page
def article_list(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    articles = Article.objects.published().in_language().for_cards()
    if query:
        articles = search_articles(articles, query)
    return render(request, "articles/article_list.html", {"page_obj": _page(request, articles), "query": query})


def _topic_page(request: HttpRequest, model, slug: str, lookup: str) -> HttpResponse:
    """A category's or tag's public articles. The topic comes with its count of live articles (one query,
    not two), so with the clinic's details and the page of cards the page costs three."""
    published = Article.objects.published().in_language()
    live = published.filter(**{lookup: OuterRef("pk")}).order_by().values(lookup).annotate(n=Count("pk"))
    topic = get_object_or_404(model.objects.annotate(live=Coalesce(Subquery(live.values("n")), 0)), slug=slug)
    paginator = Paginator(published.filter(**{lookup: topic}).for_cards(), PAGE_SIZE)
    paginator.count = topic.live  # a cached_property: the count already read with the topic
    context = {"topic": topic, "page_obj": paginator.get_page(request.GET.get("page"))}
    return render(request, "articles/topic_list.html", context)


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _topic_page(request, Category, slug, "category")


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _topic_page(request, Tag, slug, "tags")


@never_cache
@cached_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = Article.objects.published().for_reading().filter(slug=slug).first()
    if article is not None and article.language != page_language():
        # A version's slug under the other language's prefix: its version in this language, else itself.
        return redirect(article.versions.get(page_language()) or article.get_absolute_url())
    if article is None:
        moved = (
            SlugRedirect.objects.select_related("article")
            .filter(old_slug=slug, article__in=Article.objects.published())
            .first()
        )
        if moved is None:
            raise Http404
        return redirect(moved.article, permanent=True)
    form, response = handle_appointment_form(request, source_article=article)
    return response or render(request, "articles/article_detail.html", {"article": article, "form": form})


@never_cache
@require_GET
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A version exactly as readers will see it, for staff who may see unpublished articles; 404 for anyone else.

    The article's pending changes if it has some, else the article; `?change=` one of its earlier pending
    changes, `?version=` an entry of its history. The "Medically reviewed" line shows only if a reviewer
    approved exactly that text, as it would on the public page."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    article = get_object_or_404(Article.objects.for_reading(), pk=pk)
    if version_id := request.GET.get("version", ""):
        history = get_object_or_404(Version.objects.get_for_object(article), pk=_number(version_id))
        content = versions.content_from_history(history)[0]
    elif change_id := request.GET.get("change", ""):
        content = get_object_or_404(article.pending_changes, pk=_number(change_id)).content
    else:
        content = workflow.current_version(article)[1]
    if content != versions.content_of(article):
        approval = workflow.approval_for(article, content)
        article = versions.as_article(article, content)
        article.medical_reviewer = approval.reviewer if approval else None
        article.last_reviewed = timezone.localdate(approval.decided_at) if approval else None
    context = {"article": article, "form": AppointmentRequestForm(), "preview": True}
    return render(request, "articles/article_detail.html", context)


def _number(raw: str) -> int:
    if not raw.isdigit():
        raise Http404
    return int(raw)
