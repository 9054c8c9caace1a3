"""What search engines and link previews read about an article: schema.org data."""

from django.http import HttpRequest

from clinic import details

from .models import Article, Contributor


def _person(contributor: Contributor | None) -> dict | None:
    if contributor is None:
        return None
    person = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        person["honorificSuffix"] = contributor.credentials
    return person


def article_json_ld(article: Article, request: HttpRequest) -> dict:
    """A schema.org MedicalWebPage for the article; `citation` lists its references."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "lastReviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "author": _person(article.author),
        "reviewedBy": _person(article.medical_reviewer),
        "publisher": {"@type": "MedicalClinic", "name": details.current()["NAME"]},
        "citation": [
            {
                "@type": "CreativeWork",
                "name": reference.title,
                "publisher": reference.source,
                "datePublished": str(reference.year),
                **({"url": reference.link} if reference.link else {}),
            }
            for reference in article.listed_references
        ],
    }
    if article.category:
        data["about"] = {"@type": "Thing", "name": article.category.local_name}
    if article.hero_image:
        data["image"] = request.build_absolute_uri(article.hero_image.url)
    return {key: value for key, value in data.items() if value not in (None, [])}
