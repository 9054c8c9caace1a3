"""A reader sees the article's pictures in production (DEBUG off): the site serves its uploads itself, safely.

Only stored image names with the admin's image types are served, each with a fixed content type, the
strictest CSP and a year-long cache; anything else under /media/ is a 404.
"""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from PIL import Image

from articles.models import Article, BodyImage
from clinic.media import IMAGE_TYPES, UniqueUploadName, content_type_for
from tests.article_helpers import ADD_URL, form_data, png_upload, review_and_publish, staff_in

pytestmark = pytest.mark.django_db

PICTURE_ADD_URL = reverse_lazy("admin:articles_bodyimage_add")


@pytest.fixture
def media_root(settings):
    settings.DEBUG = False
    root = settings.MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    return root


def image_src(page: str) -> str:
    return re.search(r'<img src="([^"]+)" alt="A person walking', page).group(1)


def test_a_hero_image_uploaded_in_the_admin_shows_on_the_public_page(client, media_root):
    client.force_login(staff_in("Editors"))
    upload = png_upload("Walking Trail.PNG")
    data = form_data(hero_image=upload, hero_image_alt="A person walking on a trail")
    assert client.post(ADD_URL, data).status_code == 302
    article = review_and_publish(Article.objects.get())
    client.logout()
    src = image_src(client.get(article.get_absolute_url()).content.decode())
    assert re.fullmatch(r"/media/articles/\d{4}/Walking_Trail-[0-9a-f]{8}\.png", src), src

    response = client.get(src)
    assert response.status_code == 200
    upload.seek(0)
    assert b"".join(response.streaming_content) == upload.read()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=31536000", "immutable"}
    assert response["ETag"].startswith('"')


def test_a_browser_revalidating_a_picture_gets_304_without_the_bytes(client, media_root):
    (media_root / "knee.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    etag = client.get("/media/knee.png")["ETag"]
    response = client.get("/media/knee.png", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert client.get("/media/knee.png", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize(("name", "content_type"), [("a.jpg", "image/jpeg"), ("b.JPEG", "image/jpeg"),
                         ("c.gif", "image/gif"), ("d.webp", "image/webp"), ("e.png", "image/png")])  # fmt: skip
def test_each_image_type_the_admin_accepts_is_served_with_its_own_content_type(client, media_root, name, content_type):
    (media_root / name).write_bytes(b"image bytes")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret.png",
        "/media/%2e%2e/secret.png",
        "/media/%2E%2E%2Fsecret.png",
        "/media/articles/..%2f..%2fsecret.png",
        "/media/articles/%2e%2e/%2e%2e/secret.png",
        "/media/..%5csecret.png",
        "/media/%252e%252e/secret.png",
        "/media//secret.png",
        "/media/%00/../secret.png",
        "/media/./articles/x.png",
    ],
)
def test_no_path_leaves_the_media_folder(client, media_root, url):
    (media_root.parent / "secret.png").write_bytes(b"not yours")
    (media_root / "articles").mkdir()
    (media_root / "articles" / "x.png").write_bytes(b"image")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["../secret.png", "a/../../secret.png", "..\\secret.png", "/etc/x.png", "a//x.png", "a/./x.png", "x.png\x00.png",
     ".hidden.png", "a/", "", "x.png/", "x.png.txt", "x.svg"],
)  # fmt: skip
def test_names_that_storages_never_write_are_refused_before_any_storage_is_asked(name):
    assert content_type_for(name) is None


@pytest.mark.parametrize(
    "name",
    ["notes.txt", "page.html", "drawing.svg", "evil.png.html", "script.js", ".hidden.png", "noextension", "x.bmp"],
)
def test_files_that_are_not_served_image_types_are_404(client, media_root, name):
    (media_root / name).write_bytes(b"<script>alert(1)</script>")
    assert client.get(f"/media/{name}").status_code == 404


def test_folders_are_never_listed(client, media_root):
    (media_root / "articles" / "2026").mkdir(parents=True)
    (media_root / "articles" / "2026" / "x.png").write_bytes(b"image")
    (media_root / "folder.png").mkdir()
    for url in ("/media/", "/media/articles/", "/media/articles", "/media/articles/2026/", "/media/folder.png"):
        assert client.get(url).status_code == 404, url


def test_a_missing_picture_is_404_and_only_get_and_head_are_answered(client, media_root):
    assert client.get("/media/articles/2026/gone.png").status_code == 404
    (media_root / "knee.png").write_bytes(b"image")
    assert client.head("/media/knee.png").status_code == 200
    assert client.post("/media/knee.png").status_code == 405


def test_the_view_serves_the_addresses_the_storage_gives(media_root):
    assert reverse("media", args=["articles/2026/x-0a1b2c3d.png"]) == "/media/articles/2026/x-0a1b2c3d.png"


def test_uploading_the_same_file_name_twice_gives_two_addresses(client, media_root):
    client.force_login(staff_in("Editors"))
    for _ in range(2):
        client.post(PICTURE_ADD_URL, {"title": "Knee", "image": png_upload(), "alt_text": "A knee"})
    first, second = (picture.image.name for picture in BodyImage.objects.all())
    assert first != second
    assert all(re.fullmatch(r"articles/body/\d{4}/hero-[0-9a-f]{8}\.png", name) for name in (first, second))
    assert UniqueUploadName("a/")(None, "x.png") != UniqueUploadName("a/")(None, "x.png")


def bmp_upload() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    return SimpleUploadedFile("old.bmp", buffer.getvalue(), content_type="image/bmp")


def test_the_admin_accepts_only_the_image_types_the_site_serves(client, media_root):
    assert "bmp" not in IMAGE_TYPES and "svg" not in IMAGE_TYPES
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(hero_image=bmp_upload(), hero_image_alt="A trail"))
    assert response.status_code == 200
    assert "File extension “bmp” is not allowed" in response.content.decode()
    response = client.post(PICTURE_ADD_URL, {"title": "x", "image": bmp_upload(), "alt_text": "x"})
    assert response.status_code == 200
    assert not Article.objects.exists() and not BodyImage.objects.exists()
