"""With AWS_STORAGE_BUCKET_NAME set, an editor's uploads live in the S3 bucket and readers get them from the site.

Against a real S3-compatible server (moto's server mode on loopback), never the network.
"""

import re
import subprocess
import sys

import pytest
from django.urls import reverse, reverse_lazy

from articles.models import Article, BodyImage
from bench import s3
from bench.harness import ROOT
from tests.article_helpers import ADD_URL, change_url, form_data, png_upload, review_and_publish, staff_in

pytestmark = pytest.mark.django_db

PICTURE_ADD_URL = reverse_lazy("admin:articles_bodyimage_add")


def bucket_names(endpoint: str, bucket: str) -> list[str]:
    return [item["Key"] for item in s3.client(endpoint).list_objects_v2(Bucket=bucket).get("Contents", [])]


def hero_src(client, article: Article) -> str:
    page = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<img src="([^"]+)" alt="A person walking', page).group(1)


def fetched(client, src: str) -> bytes:
    response = client.get(src)
    assert response.status_code == 200, src
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    return b"".join(response.streaming_content)


def test_a_hero_image_uploaded_in_the_admin_is_stored_in_the_bucket_and_shown_on_the_page(
    client, settings, s3_media, s3_endpoint
):
    editor = staff_in("Editors")
    client.force_login(editor)
    first = png_upload("trail.png")
    data = form_data(hero_image=first, hero_image_alt="A person walking on a trail")
    assert client.post(ADD_URL, data).status_code == 302
    article = review_and_publish(Article.objects.get())
    assert bucket_names(s3_endpoint, s3_media) == [article.hero_image.name]
    assert not list(settings.MEDIA_ROOT.glob("**/*"))  # nothing on the local disk

    client.logout()
    src = hero_src(client, article)
    assert src == f"/media/{article.hero_image.name}"  # the site's own address, not the bucket's
    first.seek(0)
    assert fetched(client, src) == first.read()

    # A new picture through the change view (a pending change of the live article, then reviewed and published)
    # replaces it on the page; the old object stays (names are never reused).
    client.force_login(editor)
    second = png_upload("sunrise.png")
    second_data = form_data(hero_image=second, hero_image_alt="A person walking at sunrise", status="published")
    assert client.post(change_url(article), second_data).status_code == 302
    article = review_and_publish(article)
    assert "sunrise" in article.hero_image.name
    assert sorted(bucket_names(s3_endpoint, s3_media)) == sorted([src.removeprefix("/media/"), article.hero_image.name])
    client.logout()
    second.seek(0)
    assert fetched(client, hero_src(client, article)) == second.read()


def test_a_picture_for_the_text_is_stored_in_the_bucket_and_served_at_the_address_editors_paste(
    client, s3_media, s3_endpoint
):
    client.force_login(staff_in("Editors"))
    upload = png_upload("knee.png")
    response = client.post(PICTURE_ADD_URL, {"title": "Knee", "image": upload, "alt_text": "A knee"})
    assert response.status_code == 302
    address = BodyImage.objects.get().image.url
    assert address.startswith("/media/articles/body/")
    assert address in client.get(reverse("admin:articles_bodyimage_changelist")).content.decode()
    client.logout()
    upload.seek(0)
    assert fetched(client, address) == upload.read()


def test_a_name_missing_from_the_bucket_or_outside_it_is_404(client, s3_media, s3_endpoint):
    s3.client(s3_endpoint).put_object(Bucket=s3_media, Key="notes.txt", Body=b"<script>")
    for url in ("/media/articles/2026/gone.png", "/media/notes.txt", "/media/../notes.txt", "/media/%2e%2e/x.png"):
        assert client.get(url).status_code == 404, url


def test_the_settings_put_uploads_on_s3_when_the_bucket_variable_is_set(s3_endpoint, tmp_path):
    """The deployer's variables alone (no code) send uploads to the bucket."""
    bucket = s3.new_bucket(s3_endpoint)
    script = (
        "from django.core.files.base import ContentFile; from django.core.files.storage import storages;"
        "s = storages['default']; print(type(s).__name__, s.save('probe.png', ContentFile(b'png')), s.url('probe.png'))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "tests-only-not-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **s3.site_env(s3_endpoint, bucket),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["S3MediaStorage", "probe.png", "/media/probe.png"]
    assert bucket_names(s3_endpoint, bucket) == ["probe.png"]
    assert not (tmp_path / "media").exists()
