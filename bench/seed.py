"""Fill the bench database with a realistic amount of content, fast (bulk_create).

Run by run.py in a subprocess: `python -m bench.seed ARTICLES REQUESTS`.
"""

import random
import sys
import uuid
from datetime import timedelta

import django


def main(n_articles: int, n_requests: int) -> None:
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from appointments.models import AppointmentRequest, new_reference
    from articles.management.commands.load_demo_content import DEMO_ARTICLES, DEMO_DIR
    from articles.models import Article

    call_command("load_demo_content", verbosity=0)
    english = sorted(demo["slug"] for demo in DEMO_ARTICLES if demo.get("language", "en") == "en")
    bodies = [(DEMO_DIR / f"{slug}.html").read_text(encoding="utf-8") for slug in english]
    rng = random.Random(7)
    now = timezone.now()
    topics = ["Back Pain", "Sleep", "Migraine", "Arthritis", "Fatigue", "Diabetes", "Asthma", "Blood Pressure"]
    articles = []
    for n in range(n_articles):
        topic = rng.choice(topics)
        body = "\n".join(rng.sample(bodies, k=len(bodies)))  # a few KB, like a real article
        articles.append(
            Article(
                title=f"{topic}: What Patients Ask Us, Part {n}",
                slug=f"{topic.lower().replace(' ', '-')}-questions-{n}",
                summary=f"Our clinicians answer common questions about {topic.lower()} (part {n}).",
                body=body,
                status=Article.Status.PUBLISHED if n % 10 else Article.Status.DRAFT,
                published_at=now - timedelta(days=30 + n, hours=rng.randint(0, 23)),
            )
        )
    Article.objects.bulk_create(articles, batch_size=200)
    published = list(Article.objects.published().values_list("pk", flat=True))
    requests = [
        AppointmentRequest(
            reference=new_reference(),
            submission_token=uuid.uuid4(),
            first_name="Bench",
            last_name=f"Patient {n}",
            phone="+12025550143",
            email=f"patient{n}@example.com",
            new_patient=bool(n % 2),
            preferred_day="tuesday",
            preferred_time="morning",
            source_article_id=rng.choice(published) if n % 3 else None,
            source_path="/appointments/request/",
        )
        for n in range(n_requests)
    ]
    AppointmentRequest.objects.bulk_create(requests, batch_size=500)
    print(f"seeded {Article.objects.count()} articles ({len(published)} published), {len(requests)} requests")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
