"""An editor schedules an article; status and date always agree, and it appears by itself when the time comes."""

from datetime import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from freezegun import freeze_time

from articles.forms import MESSAGES
from articles.models import Article
from tests.article_helpers import ADD_URL, LIST_URL, change_url, form_data, review_and_publish, staff_in

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
PUBLIC_URLS = ["/", "/articles/", "/articles/?q=Walking", "/articles/feed/", "/sitemap.xml"]


@pytest.fixture
def editor_client(client, settings):
    settings.TIME_ZONE = "America/New_York"
    client.force_login(staff_in("Editors"))
    return client


def sign_in_again(client) -> None:
    """Inside frozen time: the session from the real clock has expired there."""
    client.force_login(User.objects.get(username="editors"))


def approved_draft(editor_client) -> Article:
    sign_in_again(editor_client)
    assert editor_client.post(ADD_URL, form_data()).status_code == 302
    article = Article.objects.get()
    review_and_publish(article, when=datetime(2099, 1, 1, tzinfo=NEW_YORK))  # approved, scheduled far ahead
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article.refresh_from_db()
    return article


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_scheduled_article_is_404_before_its_time_and_listed_after(editor_client, client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        article = approved_draft(editor_client)
        data = form_data(status="scheduled", published_at_0="2030-03-02", published_at_1="08:00:00")
        response = editor_client.post(change_url(article), data, follow=True)
        assert "Scheduled: it goes live on March 2, 2030, 8 a.m., by itself." in messages_of(response)
        editor_client.logout()
        assert client.get(article.get_absolute_url()).status_code == 404
        for url in PUBLIC_URLS:
            assert article.slug not in client.get(url).content.decode(), url

    with freeze_time(datetime(2030, 3, 2, 7, 59, tzinfo=NEW_YORK)):
        assert client.get(article.get_absolute_url()).status_code == 404

    with freeze_time(datetime(2030, 3, 2, 8, 1, tzinfo=NEW_YORK)):
        assert client.get(article.get_absolute_url()).status_code == 200
        for url in PUBLIC_URLS:
            assert article.slug in client.get(url).content.decode(), url
        feed = ElementTree.fromstring(client.get("/articles/feed/").content)
        assert [item.findtext("title") for item in feed.iter("item")] == ["Walking for joint health"]


def test_published_with_a_future_date_is_scheduled_and_says_when(editor_client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        article = approved_draft(editor_client)
        data = form_data(status="published", published_at_0="2030-03-05", published_at_1="10:30")
        response = editor_client.post(change_url(article), data, follow=True)
        article.refresh_from_db()
        assert article.status == Article.Status.SCHEDULED
        assert not article.is_public
        assert "Scheduled: it goes live on March 5, 2030, 10:30 a.m., by itself." in messages_of(response)


def test_scheduling_needs_a_date(editor_client):
    response = editor_client.post(ADD_URL, form_data(status="scheduled"))
    assert response.context["adminform"].form.errors["published_at"] == [MESSAGES["schedule_needs_date"]]
    assert not Article.objects.exists()


def test_a_draft_scheduled_in_the_past_asks_before_it_goes_live(editor_client, client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        article = approved_draft(editor_client)
        data = form_data(status="scheduled", published_at_0="2030-02-01", published_at_1="08:00")
        asked = editor_client.post(change_url(article), data)
        assert asked.status_code == 200
        assert asked.context["adminform"].form.errors["go_live_now"] == [MESSAGES["schedule_in_past"]]
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert editor_client.post(change_url(article), {**data, "go_live_now": "on"}).status_code == 302
        article.refresh_from_db()
        assert article.is_public
        assert client.get(article.get_absolute_url()).status_code == 200


def test_publishing_without_a_date_publishes_now(editor_client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        article = approved_draft(editor_client)
        editor_client.post(change_url(article), form_data(status="published"))
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at == datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)


def test_an_article_gone_live_by_its_date_shows_as_live_in_the_list_and_its_filters(editor_client, make_article):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)) as clock:
        gone_live = make_article(
            title="Went live", status="scheduled", published_at=datetime(2030, 3, 1, 10, 0, tzinfo=NEW_YORK)
        )
        make_article(title="Still waiting", status="scheduled", published_at=datetime(2030, 6, 1, tzinfo=NEW_YORK))
        clock.move_to(datetime(2030, 3, 1, 11, 0, tzinfo=NEW_YORK))
        sign_in_again(editor_client)
        live = editor_client.get(LIST_URL, {"state": "live"}).context["cl"].result_list
        assert [article.title for article in live] == ["Went live"]
        upcoming = editor_client.get(LIST_URL, {"state": "scheduled"}).context["cl"].result_list
        assert [article.title for article in upcoming] == ["Still waiting"]
        page = editor_client.get(LIST_URL).content.decode()
        row = page[page.index(gone_live.title) :].split("</tr>")[0]
        assert ">Published<" in row
        assert "Scheduled for 06/01/2030" in page
