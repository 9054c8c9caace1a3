from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from appointments.views import handle_appointment_form
from pages.page_cache import cached_page

from .models import Article

PAGE_SIZE = 10


@cached_page
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    articles = Article.objects.published().only("title", "slug", "summary", "published_at")
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page_obj": page, "query": query})


@never_cache
@cached_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form, response = handle_appointment_form(request, source_article=article)
    return response or render(request, "articles/article_detail.html", {"article": article, "form": form})
