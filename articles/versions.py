"""An article's content as one value (a version): everything readers see of it, apart from whether and when.

A version is read from the article's rows (content_of), from the admin's form and its references
(content_from_forms) or from an entry in its history (content_from_history); two versions are the
same text when their fingerprints are; a version is written to the rows with apply(), and shown
unsaved, for a preview, with as_article(). Tags, category and author are kept by id; references in
full, inline.
"""

import hashlib
import json

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

from .models import Article, Category, Contributor, Reference, Tag

FIELDS = ("title", "slug", "summary", "body", "hero_image", "hero_image_alt", "call_to_action")
REFERENCE_FIELDS = ("position", "title", "source", "year", "url", "doi")


def _in_order(references: list[dict]) -> list[dict]:
    return sorted(references, key=lambda reference: reference["position"])  # stable: ties keep their order


def content_of(article: Article) -> dict:
    """The version the article's rows hold now."""
    return {
        **{name: getattr(article, name) for name in FIELDS},
        "hero_image": article.hero_image.name or "",
        "category": article.category_id,
        "author": article.author_id,
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "references": [
            {name: getattr(reference, name) for name in REFERENCE_FIELDS} for reference in article.references.all()
        ],
    }


def content_from_forms(form, references) -> dict:
    """The version an admin form and its references formset hold (valid), with a newly chosen picture stored."""
    article = form.instance
    hero_image = Article._meta.get_field("hero_image").pre_save(article, add=False)  # stores a new upload
    references = [
        {name: reference.cleaned_data.get(name) for name in REFERENCE_FIELDS}
        for reference in references.forms
        if reference.cleaned_data
        and reference not in references.deleted_forms
        and (reference.instance.pk or reference.has_changed())
    ]
    for reference in references:
        reference.update(url=reference["url"] or "", doi=reference["doi"] or "", position=reference["position"] or 0)
    return {
        **{name: getattr(article, name) for name in FIELDS},
        "hero_image": hero_image.name or "",
        "category": article.category_id,
        "author": article.author_id,
        "tags": sorted(tag.pk for tag in form.cleaned_data.get("tags", [])),
        "references": _in_order(references),
    }


def content_from_history(version: Version) -> tuple[dict, list[str]]:
    """The version an entry in the article's history holds, without what has been deleted since (named)."""
    fields = version.field_dict
    references = [
        {name: entry.field_dict[name] for name in REFERENCE_FIELDS}
        for entry in version.revision.version_set.all()
        if entry.content_type.model_class() is Reference
    ]
    content = {
        **{name: fields.get(name) or "" for name in FIELDS},
        "hero_image": getattr(fields.get("hero_image"), "name", fields.get("hero_image")) or "",
        "category": fields.get("category_id"),
        "author": fields.get("author_id"),
        "tags": sorted(int(pk) for pk in fields.get("tags", [])),
        "references": _in_order(references),
    }
    return content, _drop_missing(content)


def _drop_missing(content: dict) -> list[str]:
    """Take out of `content` the tags, category and author deleted since; say what was left out."""
    notes = []
    existing = set(Tag.objects.filter(pk__in=content["tags"]).values_list("pk", flat=True))
    if gone := len(content["tags"]) - len(existing):
        content["tags"] = sorted(existing)
        left_out = ngettext("A tag deleted since was left out.", "%(count)d tags deleted since were left out.", gone)
        notes.append(left_out % {"count": gone})
    for name, model, note in (
        ("category", Category, _("Its category was deleted since: it has none now.")),
        ("author", Contributor, _("Its author was deleted from the contributors since: it names none now.")),
    ):
        if content[name] is not None and not model.objects.filter(pk=content[name]).exists():
            content[name] = None
            notes.append(note)
    return notes


def fingerprint(content: dict) -> str:
    """Equal for equal text: what an approval is tied to."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def apply(article: Article, content: dict) -> list[str]:
    """Write a version to the article's rows (saved); return what could not be restored, in words."""
    notes = _drop_missing(content)
    old_slug = article.slug
    for name in FIELDS:
        if name != "hero_image":
            setattr(article, name, content[name])
    if Article.objects.filter(slug=content["slug"]).exclude(pk=article.pk).exists():
        article.slug = old_slug
        notes.append(_("Another article uses the address “%(slug)s” now: this one keeps its own.") % content)
    if content["hero_image"] != (article.hero_image.name or ""):
        if not content["hero_image"] or article.hero_image.storage.exists(content["hero_image"]):
            article.hero_image = content["hero_image"]
        else:
            notes.append(_("Its hero image is no longer stored: the current one stays."))
    article.category_id, article.author_id = content["category"], content["author"]
    article.save()
    article.remember_old_slug(old_slug)
    article.tags.set(content["tags"])
    article.references.all().delete()
    Reference.objects.bulk_create(Reference(article=article, **reference) for reference in content["references"])
    return notes


def as_article(article: Article, content: dict) -> Article:
    """An unsaved copy of the article showing `content`, for a preview (the reviewed line left to the caller)."""
    copy = Article(**{field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields})
    for name in FIELDS:
        setattr(copy, name, content[name])
    copy.category = Category.objects.filter(pk=content["category"]).first() if content["category"] else None
    copy.author = Contributor.objects.filter(pk=content["author"]).first() if content["author"] else None
    copy.__dict__["listed_tags"] = list(Tag.objects.filter(pk__in=content["tags"]).order_by("name"))
    copy.__dict__["listed_references"] = [Reference(article_id=article.pk, **ref) for ref in content["references"]]
    return copy


def changed_fields(before: dict, after: dict) -> list[str]:
    """The names (as the form labels them) of what differs between two versions."""
    labels = {name: str(Article._meta.get_field(name).verbose_name) for name in (*FIELDS, "category", "author", "tags")}
    labels["references"] = str(Reference._meta.verbose_name_plural)
    return [label for name, label in labels.items() if before.get(name) != after.get(name)]
