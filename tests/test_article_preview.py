"""An editor previews a draft exactly as readers will see it; nobody else can open the preview."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article
from tests.article_helpers import change_url, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_article):
    return make_article(title="Draft on knees", body="<p>Knee text.</p>", status=Article.Status.DRAFT)


def test_an_editor_previews_a_draft_as_it_will_look(client, draft):
    client.force_login(staff_in("Editors"))
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Draft on knees" in page
    assert "Knee text." in page
    assert "The public cannot see it yet." in page
    assert "Take a Moment to Request Your Appointment Now" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_form_on_a_preview_cannot_be_sent(client, draft, make_article):
    client.force_login(staff_in("Editors"))
    page = client.get(draft.get_preview_url()).content.decode()
    assert "This is a preview: the form cannot be sent from here." in page
    assert 'disabled aria-describedby="preview-form-note"' in page
    public = make_article(title="Live on knees", status=Article.Status.PUBLISHED)
    live = client.get(public.get_absolute_url())
    assert live.status_code == 200
    assert '<button type="submit" class="btn btn-primary btn-lg">Send My Request</button>' in live.content.decode()


def test_the_admin_links_to_the_preview(client, draft):
    client.force_login(staff_in("Editors"))
    assert draft.get_preview_url() in client.get(change_url(draft)).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "customer", "front desk"])
def test_the_preview_is_404_for_everyone_else(client, draft, who):
    if who == "customer":
        client.force_login(User.objects.create_user("customer", password="pw"))
    elif who == "front desk":
        client.force_login(staff_in("Front desk"))
    assert client.get(draft.get_preview_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_of_a_missing_article_is_404(client):
    client.force_login(staff_in("Editors"))
    assert client.get(reverse("articles:preview", kwargs={"pk": 999})).status_code == 404
