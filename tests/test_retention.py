"""Closed and spam requests go once the retention period is over; open ones stay, whatever their age."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import AppointmentRequest, Note, StatusChange
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 12:00:00"


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_appointments", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dataset(make_request, settings):
    """Requests on both sides of a 90-day threshold."""
    settings.APPOINTMENT_RETENTION_DAYS = 90
    with freeze_time(NOW):
        now = timezone.now()
        old, recent = now - timedelta(days=91), now - timedelta(days=89)
        made = {
            "old_closed": make_request(status="closed", updated_at=old),
            "old_spam": make_request(status="spam", updated_at=old),
            "old_spam_2": make_request(status="spam", updated_at=now - timedelta(days=400)),
            "recent_closed": make_request(status="closed", updated_at=recent),
            "recent_spam": make_request(status="spam", updated_at=recent),
            "old_new": make_request(status="new", updated_at=old),
            "old_scheduled": make_request(status="scheduled", updated_at=old),
        }
    Note.objects.create(request=made["old_closed"], body="Called, booked.")
    StatusChange.objects.create(request=made["old_closed"], from_status="new", to_status="closed")
    return made


def remaining() -> set[str]:
    return set(AppointmentRequest.objects.values_list("reference", flat=True))


def test_purge_deletes_only_closed_and_spam_past_the_threshold(dataset):
    with freeze_time(NOW):
        output = purge()
    assert output.strip() == "Deleted 3 appointment requests (1 closed, 2 spam) not changed for more than 90 days."
    keep = ("recent_closed", "recent_spam", "old_new", "old_scheduled")
    assert remaining() == {dataset[name].reference for name in keep}
    assert not Note.objects.exists()
    assert not StatusChange.objects.exists()


def test_purge_leaves_the_references_in_the_audit_trail(dataset):
    with freeze_time(NOW):
        purge()
    deleted = {dataset[name].reference for name in ("old_closed", "old_spam", "old_spam_2")}
    events = AuditEvent.objects.filter(action="delete", username="purge_appointments")
    assert set(events.values_list("reference", flat=True)) == deleted


def test_a_request_that_was_opened_is_purged_and_its_earlier_events_stay_as_they_were(dataset):
    """The trail names requests by reference, not by a key the deletion would have to update (or cascade)."""
    viewed = dataset["old_closed"]
    opened = AuditEvent.record(AuditEvent.Action.VIEW, username="clerk", reference=viewed.reference)
    with freeze_time(NOW):
        purge()
    assert not AppointmentRequest.objects.filter(pk=viewed.pk).exists()
    assert AuditEvent.objects.filter(pk=opened.pk, username="clerk", reference=viewed.reference).exists()


def test_dry_run_says_what_it_would_do_and_deletes_nothing(dataset):
    before = remaining()
    with freeze_time(NOW):
        output = purge("--dry-run")
    assert output.startswith("Would delete 3 appointment requests (1 closed, 2 spam)")
    assert remaining() == before
    assert not AuditEvent.objects.exists()


def test_running_it_again_the_same_day_deletes_nothing_more(dataset):
    with freeze_time(NOW):
        purge()
        assert purge().startswith("Deleted 0 appointment requests")


def test_the_threshold_follows_the_setting(dataset, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 30
    with freeze_time(NOW):
        assert purge().startswith("Deleted 5 appointment requests (2 closed, 3 spam)")
