from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.demo_images import sample_hero_image
from articles.html import sanitize_html
from articles.models import Article, Category, Contributor, Reference, Review, Tag
from articles.versions import content_of, fingerprint

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# Every person and reference below is a placeholder, and says so on the page:
# no real clinician, study, citation or DOI is invented.
SAMPLE_AUTHOR = ("Sample Author", "Health writer (sample)")
SAMPLE_REVIEWER = ("Sample Reviewer", "MD (sample)")
SAMPLE_APPROVAL = "Sample approval (demo content): no clinician has reviewed this text."
# What readers see of the placeholders, in the language of the version.
SAMPLE_SOURCE = {
    "en": "Sample reference — placeholder, replace with the real source",
    "es": "Referencia de ejemplo — marcador de posición, sustitúyala por la fuente real",
}
SAMPLE_ALT = {
    "en": "Sample illustration: soft blue and green circles on a light background (placeholder image)",
    "es": "Ilustración de ejemplo: círculos suaves azules y verdes sobre un fondo claro (imagen de muestra)",
}

CATEGORIES = {
    "chronic-pain": {
        "name": "Chronic pain",
        "description": "Living and coping with long-lasting pain.",
        "name_es": "Dolor crónico",
        "description_es": "Cómo vivir y sobrellevar el dolor de larga duración.",
    },
    "your-visit": {
        "name": "Your visit",
        "description": "Getting ready for an appointment at our clinic.",
        "name_es": "Su visita",
        "description_es": "Cómo prepararse para una cita en nuestra clínica.",
    },
}
TAGS = {
    "fibromyalgia": {"name": "Fibromyalgia", "name_es": "Fibromialgia"},
    "research": {"name": "Research", "name_es": "Investigación"},
    "sleep": {"name": "Sleep", "name_es": "Sueño"},
    "self-care": {"name": "Self-care", "name_es": "Cuidado personal"},
}

# The first is the page this site was modelled on; the others were written for this project.
# "reviewed" is how many days ago the last medical review was; "due" how many days from now the next one is.
DEMO_ARTICLES = [
    {
        "slug": "are-some-fibromyalgia-cases-autoimmune",
        "title": "Are Some Fibromyalgia Cases Autoimmune?",
        "summary": "Fibromyalgia has been somewhat of a mystery to medical researchers for years. "
        "Two studies may shed light on how fibromyalgia relates to other autoimmune diseases.",
        "age_days": 2,
        "category": "chronic-pain",
        "tags": ["fibromyalgia", "research"],
        "reviewed": 3,
        "due": 362,
        "references": [
            ("Sample reference — placeholder for the 2008 study on fibromyalgia and demyelination", 2008),
            ("Sample reference — placeholder for the follow-up study on small fiber neuropathy", 2014),
        ],
    },
    {
        "slug": "pacing-your-energy-with-chronic-pain",
        "title": "Pacing Your Energy When You Live with Chronic Pain",
        "summary": "Pacing helps you plan a steady amount of activity each day, instead of overdoing it "
        "on good days and paying for it afterwards.",
        "age_days": 9,
        "category": "chronic-pain",
        "tags": ["self-care"],
        "reviewed": 10,
        "due": 355,
        "references": [("Sample reference — placeholder for a guide on activity pacing", 2020)],
    },
    {
        "slug": "sleep-habits-that-help-with-pain",
        "title": "Sleep Habits That Can Help with Pain",
        "summary": "Pain and poor sleep feed each other. A few regular habits can help break the loop.",
        "age_days": 16,
        "category": "chronic-pain",
        "tags": ["sleep", "self-care"],
        "reviewed": 17,
        "due": 348,
        "references": [("Sample reference — placeholder for a review of sleep and chronic pain", 2019)],
    },
    {
        "slug": "preparing-for-your-first-appointment",
        "title": "Preparing for Your First Appointment",
        "summary": "What to bring and what to write down before a first visit, so you get the most from it.",
        "age_days": 23,
        "category": "your-visit",
        "tags": [],
        # Reviewed over a year ago: shows an editor what "review overdue" looks like.
        "reviewed": 380,
        "due": -15,
        "references": [("Sample reference — placeholder for patient-visit guidance", 2021)],
    },
    # Sample translations: the Spanish versions of two of them, each reviewed on its own.
    {
        "language": "es",
        "translation_of": "are-some-fibromyalgia-cases-autoimmune",
        "slug": "algunos-casos-de-fibromialgia-son-autoinmunes",
        "title": "¿Algunos casos de fibromialgia son autoinmunes?",
        "summary": "Durante años, la fibromialgia ha sido un misterio para los investigadores médicos. "
        "Dos estudios podrían ayudar a entender cómo se relaciona con otras enfermedades autoinmunes.",
        "age_days": 1,
        "category": "chronic-pain",
        "tags": ["fibromyalgia", "research"],
        "reviewed": 2,
        "due": 363,
        "references": [
            ("Referencia de ejemplo — marcador del estudio de 2008 sobre fibromialgia y desmielinización", 2008),
            ("Referencia de ejemplo — marcador del estudio de seguimiento sobre neuropatía de fibras pequeñas", 2014),
        ],
    },
    {
        "language": "es",
        "translation_of": "preparing-for-your-first-appointment",
        "slug": "como-prepararse-para-su-primera-cita",
        "title": "Cómo prepararse para su primera cita",
        "summary": "Qué traer y qué anotar antes de una primera visita, para aprovecharla al máximo.",
        "age_days": 20,
        "category": "your-visit",
        "tags": [],
        "reviewed": 21,
        "due": 344,
        "references": [("Referencia de ejemplo — marcador de una guía para la visita del paciente", 2021)],
    },
]


class Command(BaseCommand):
    help = (
        "Load a few published demo articles, the seed article among them, and Spanish versions of two. "
        "Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        author, _ = Contributor.objects.get_or_create(name=SAMPLE_AUTHOR[0], credentials=SAMPLE_AUTHOR[1])
        reviewer, _ = Contributor.objects.get_or_create(name=SAMPLE_REVIEWER[0], credentials=SAMPLE_REVIEWER[1])
        categories = {slug: self._topic(Category, slug, words) for slug, words in CATEGORIES.items()}
        tags = {slug: self._topic(Tag, slug, words) for slug, words in TAGS.items()}
        created = 0
        for demo in DEMO_ARTICLES:
            language = demo.get("language", "en")
            original = Article.objects.filter(slug=demo.get("translation_of", "")).first()
            article, was_created = Article.objects.get_or_create(
                slug=demo["slug"],
                defaults={
                    "language": language,
                    "translation_of": original,
                    "title": demo["title"],
                    "summary": demo["summary"],
                    "body": sanitize_html((DEMO_DIR / f"{demo['slug']}.html").read_text(encoding="utf-8")),
                    "status": Article.Status.PUBLISHED,
                    "published_at": timezone.now() - timedelta(days=demo["age_days"]),
                },
            )
            created += was_created
            self._fill_missing(article, demo, categories[demo["category"]], author, reviewer)
            if not article.tags.exists() and demo["tags"]:
                article.tags.set([tags[slug] for slug in demo["tags"]])
            if not article.references.exists():
                Reference.objects.bulk_create(
                    Reference(article=article, title=title, source=SAMPLE_SOURCE[language], year=year, position=n)
                    for n, (title, year) in enumerate(demo["references"], start=1)
                )
            self._sample_approval(article, reviewer)
        self.stdout.write(f"Demo articles: {created} created, {len(DEMO_ARTICLES) - created} already present.")

    @staticmethod
    def _topic(model, slug: str, words: dict):
        """A demo category or tag, with the words an older copy of the demo lacks (its Spanish name)."""
        topic, _created = model.objects.get_or_create(slug=slug, defaults=words)
        if missing := [name for name, value in words.items() if not getattr(topic, name)]:
            for name in missing:
                setattr(topic, name, words[name])
            topic.save(update_fields=[*missing, "updated_at"])
        return topic

    def _sample_approval(self, article: Article, reviewer: Contributor) -> None:
        """The approval the demo's "Medically reviewed by" line stands for: a sample reviewer's, marked as one."""
        if article.reviews.exists() or article.medical_reviewer_id != reviewer.pk:
            return
        decided = timezone.make_aware(datetime.combine(article.last_reviewed, time(9)))
        Review.objects.create(
            article=article,
            state=Review.State.APPROVED,
            submitted_at=decided,
            reviewer=reviewer,
            decided_at=decided,
            fingerprint=fingerprint(content_of(article)),
            comment=SAMPLE_APPROVAL,
            next_review_due=article.next_review_due,
        )

    def _fill_missing(self, article: Article, demo: dict, category, author, reviewer) -> None:
        """Fill the fields an older copy of the demo lacks; never overwrite what an editor set."""
        today = timezone.localdate()
        wanted = {
            "category": category,
            "author": author,
            "medical_reviewer": reviewer,
            "last_reviewed": today - timedelta(days=demo["reviewed"]),
            "next_review_due": today + timedelta(days=demo["due"]),
        }
        missing = [name for name, value in wanted.items() if getattr(article, name) is None]
        for name in missing:
            setattr(article, name, wanted[name])
        if not article.hero_image:
            article.hero_image.save(f"demo-{article.slug}.png", sample_hero_image(article.slug), save=False)
            article.hero_image_alt = SAMPLE_ALT[article.language]
            missing += ["hero_image", "hero_image_alt", "hero_image_width", "hero_image_height"]
        if missing:
            article.save(update_fields=[*missing, "updated_at"])
