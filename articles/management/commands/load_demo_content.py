from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.html import sanitize_html
from articles.models import Article

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# (slug, title, summary, days since publication). The first is the page this
# site was modelled on; the others were written for this project.
DEMO_ARTICLES = [
    (
        "are-some-fibromyalgia-cases-autoimmune",
        "Are Some Fibromyalgia Cases Autoimmune?",
        "Fibromyalgia has been somewhat of a mystery to medical researchers for years. "
        "Two studies may shed light on how fibromyalgia relates to other autoimmune diseases.",
        2,
    ),
    (
        "pacing-your-energy-with-chronic-pain",
        "Pacing Your Energy When You Live with Chronic Pain",
        "Pacing helps you plan a steady amount of activity each day, instead of overdoing it "
        "on good days and paying for it afterwards.",
        9,
    ),
    (
        "sleep-habits-that-help-with-pain",
        "Sleep Habits That Can Help with Pain",
        "Pain and poor sleep feed each other. A few regular habits can help break the loop.",
        16,
    ),
    (
        "preparing-for-your-first-appointment",
        "Preparing for Your First Appointment",
        "What to bring and what to write down before a first visit, so you get the most from it.",
        23,
    ),
]


class Command(BaseCommand):
    help = "Load a few published demo articles, the seed article among them. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        now = timezone.now()
        created = 0
        for slug, title, summary, age_days in DEMO_ARTICLES:
            _article, was_created = Article.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "body": sanitize_html((DEMO_DIR / f"{slug}.html").read_text(encoding="utf-8")),
                    "status": Article.Status.PUBLISHED,
                    "published_at": now - timedelta(days=age_days),
                },
            )
            created += was_created
        self.stdout.write(f"Demo articles: {created} created, {len(DEMO_ARTICLES) - created} already present.")
