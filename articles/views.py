from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from appointments.forms import AppointmentRequestForm
from appointments.views import handle_appointment_form
from clinic.page_cache import cached_page

from .models import Article, Category, SlugRedirect, Tag
from .search import clean_query, search_articles

PAGE_SIZE = 10


def _page(request: HttpRequest, articles):
    return Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))


@cached_page
def article_list(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    articles = Article.objects.published().for_cards()
    if query:
        articles = search_articles(articles, query)
    return render(request, "articles/article_list.html", {"page_obj": _page(request, articles), "query": query})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    articles = Article.objects.published().filter(category=category).for_cards()
    return render(request, "articles/topic_list.html", {"topic": category, "page_obj": _page(request, articles)})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).for_cards()
    return render(request, "articles/topic_list.html", {"topic": tag, "page_obj": _page(request, articles)})


@never_cache
@cached_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = Article.objects.published().for_reading().filter(slug=slug).first()
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
    """The page exactly as readers will see it, for staff who may see unpublished articles; 404 for anyone else."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    article = get_object_or_404(Article.objects.for_reading(), pk=pk)
    context = {"article": article, "form": AppointmentRequestForm(), "preview": True}
    return render(request, "articles/article_detail.html", context)
