"""An editor schedules an article; it appears by itself when the time comes, with no job run in between."""

from datetime import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from articles.models import Article
from tests.article_helpers import ADD_URL, form_data, staff_in

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


PUBLIC_URLS = ["/", "/articles/", "/articles/?q=Walking", "/articles/feed/", "/sitemap.xml"]


def test_a_scheduled_article_is_404_before_its_time_and_listed_after(client, settings):
    settings.TIME_ZONE = "America/New_York"
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        client.force_login(staff_in("Editors"))
        response = client.post(
            ADD_URL,
            form_data(status="scheduled", published_at_0="2030-03-02", published_at_1="08:00:00"),
        )
        assert response.status_code == 302
        client.logout()
        article = Article.objects.get(slug="walking-for-joint-health")
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


def test_scheduling_needs_a_future_date(client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        client.force_login(staff_in("Editors"))
        no_date = client.post(ADD_URL, form_data(status="scheduled"))
        assert "Choose the date and time the article should be published." in no_date.content.decode()
        past = client.post(ADD_URL, form_data(status="scheduled", published_at_0="2030-02-01", published_at_1="08:00"))
        assert "A scheduled article needs a publish date in the future." in past.content.decode()
        assert not Article.objects.exists()


def test_publishing_without_a_date_publishes_now(client):
    with freeze_time(datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)):
        client.force_login(staff_in("Editors"))
        client.post(ADD_URL, form_data(status="published"))
        article = Article.objects.get()
        assert article.published_at == datetime(2030, 3, 1, 9, 0, tzinfo=NEW_YORK)
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 200
