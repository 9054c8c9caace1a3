"""The clinic's details as every page, email and the 503 page read them (the record: clinic.models.ClinicDetails).

They come with the page cache's version query (clinic/page_cache.py asks every PAGE_CACHE_VERSIONS
part in one query, at most once per PAGE_CACHE_VERSION_SECONDS per worker): a new phone number saved
in the admin shows everywhere within that window, the cached pages included, and costs no query of
its own. While the database does not answer, the last details this process read stand in, or else
the CLINIC_* environment values (settings.CLINIC).
"""

import json

from django.conf import settings
from django.db import DatabaseError
from django.db.models.functions import JSONObject

from . import page_cache
from .languages import page_language
from .models import FIELDS, ClinicDetails

VERSION_PART = "clinic.details.version_sql"
# Still the demo clinic's while any of these is: the admin index says so.
DEMO_CHECKED = ("NAME", "PHONE", "EMAIL", "ADDRESS")

_last_known: dict[str, str] | None = None  # per process


def version_sql() -> tuple[list[str], list]:
    """For PAGE_CACHE_VERSIONS: the record itself as one JSON value, so any change to it is a new version."""
    record = ClinicDetails.objects.filter(pk=ClinicDetails.singleton_instance_id)
    sql, params = record.values(details=JSONObject(**{field: field for field in FIELDS})).query.sql_with_params()
    return [f"({sql})"], list(params)


def current() -> dict[str, str]:
    """The details under the keys templates read (clinic.PHONE): fresh within PAGE_CACHE_VERSION_SECONDS."""
    global _last_known
    try:
        answers = page_cache.version_parts().get(VERSION_PART)
        if answers is None:  # not among PAGE_CACHE_VERSIONS: ask on its own
            record = ClinicDetails.objects.filter(pk=ClinicDetails.singleton_instance_id).values(*FIELDS).first()
        else:
            record = json.loads(answers[0]) if isinstance(answers[0], str) else answers[0]
    except DatabaseError:
        return last_known()
    if record is None:  # no record (a test database flushed): the environment's values
        return in_page_language(from_environment())
    _last_known = {field.upper(): record[field] for field in FIELDS}
    return in_page_language(_last_known)


def last_known() -> dict[str, str]:
    """Without asking the database (the 503 page): the details this process read last, or the environment's."""
    return in_page_language(_last_known or from_environment())


def from_environment() -> dict[str, str]:
    """settings.CLINIC, less the demo's Spanish sentences where the English one is the clinic's own (CLINIC_HOURS
    set without CLINIC_HOURS_ES): Spanish pages then show the clinic's English hours, never the demo's."""
    details = dict(settings.CLINIC)
    for key in ("HOURS", "CALLBACK"):
        if details[f"{key}_ES"] == settings.CLINIC_DEMO[f"{key}_ES"] and details[key] != settings.CLINIC_DEMO[key]:
            details[f"{key}_ES"] = ""
    return details


def in_page_language(details: dict[str, str]) -> dict[str, str]:
    """The sentences (HOURS, CALLBACK) in the language of the page or email being written."""
    if page_language() == "es":  # where no Spanish is written, the English
        return details | {key: details.get(f"{key}_ES") or details[key] for key in ("HOURS", "CALLBACK")}
    return dict(details)


def demo_fields(details: dict[str, str]) -> list[str]:
    """Which of the checked details are still the demo clinic's (settings.CLINIC_DEMO)."""
    return [key for key in DEMO_CHECKED if details.get(key) == settings.CLINIC_DEMO[key]]
