"""An editor cannot print "Medically reviewed by" for the author, someone without credentials, or a wrong date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.forms import MESSAGES
from articles.models import Article, Contributor
from tests.article_helpers import ADD_URL, form_data, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


def errors_for_reviewer(response) -> list[str]:
    assert response.status_code == 200, "the form is shown again"
    return response.context["adminform"].form.errors.get("medical_reviewer", [])


def test_the_author_cannot_be_the_medical_reviewer(editor_client):
    doctor = Contributor.objects.create(name="Dr Ana Writer", credentials="MD")
    response = editor_client.post(ADD_URL, form_data(author=doctor.pk, medical_reviewer=doctor.pk))
    assert errors_for_reviewer(response) == [MESSAGES["reviewer_is_author"]]
    assert not Article.objects.exists()


def test_a_reviewer_without_credentials_is_refused(editor_client):
    writer = Contributor.objects.create(name="Sam Writer")
    reviewer = Contributor.objects.create(name="Bea Nobody")
    response = editor_client.post(ADD_URL, form_data(author=writer.pk, medical_reviewer=reviewer.pk))
    assert errors_for_reviewer(response) == [MESSAGES["reviewer_needs_credentials"]]


def test_an_independent_reviewer_with_credentials_is_saved(editor_client):
    writer = Contributor.objects.create(name="Sam Writer")
    reviewer = Contributor.objects.create(name="Dr Bea Review", credentials="MD, rheumatology")
    response = editor_client.post(ADD_URL, form_data(author=writer.pk, medical_reviewer=reviewer.pk))
    assert response.status_code == 302
    assert Article.objects.get().medical_reviewer == reviewer


def test_an_article_without_a_reviewer_can_still_be_drafted(editor_client):
    writer = Contributor.objects.create(name="Sam Writer")
    assert editor_client.post(ADD_URL, form_data(author=writer.pk)).status_code == 302


def test_a_last_review_in_the_future_is_refused(editor_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = editor_client.post(ADD_URL, form_data(last_reviewed=tomorrow.isoformat()))
    assert response.context["adminform"].form.errors["last_reviewed"] == [MESSAGES["reviewed_in_future"]]


def test_the_next_review_must_come_after_the_last(editor_client):
    today = timezone.localdate()
    data = form_data(last_reviewed=today.isoformat(), next_review_due=(today - timedelta(days=30)).isoformat())
    response = editor_client.post(ADD_URL, data)
    assert response.context["adminform"].form.errors["next_review_due"] == [MESSAGES["review_due_before_review"]]
    data["next_review_due"] = (today + timedelta(days=365)).isoformat()
    assert editor_client.post(ADD_URL, data).status_code == 302
