"""Whatever an editor's browser sends, readers get only the allowed HTML."""

import html

import pytest

from articles.models import Article
from tests.article_helpers import ADD_URL, form_data, review_and_publish, staff_in

pytestmark = pytest.mark.django_db

# (hostile input, text that must not survive anywhere in the stored or rendered body)
HOSTILE = [
    ("<script>alert(1)</script><p>ok</p>", "<script"),
    ("<p>ok</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", "evil.example"),
    ('<img src="/media/x.png" onerror="alert(1)" alt="x">', "onerror"),
    ('<p onclick="steal()">click</p>', "onclick"),
    ('<a href="javascript:alert(1)">link</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">link</a>', "alert(1)"),
    ('<a href="&#106;avascript:alert(1)">link</a>', "alert(1)"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "data:text/html"),
    ('<p style="background:url(javascript:alert(1))">styled</p>', "style="),
    ('<p style="color:red">styled</p>', "color:red"),
    ("<style>body{display:none}</style><p>ok</p>", "<style"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<object data="x.swf"></object><embed src="x.swf">', "x.swf"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', "onload"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<form action="https://evil.example"><input name="card"></form>', "<form"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "http-equiv"),
    ('<base href="https://evil.example/">', "<base"),
    ("<p>ok<!-- <script>alert(1)</script> --></p>", "<!--"),
    ('<div class="x" id="login-form">content</div>', 'id="login-form"'),
    ('<a href="https://example.org" target="_blank" onmouseover="x()">ok</a>', "onmouseover"),
    ("<p>unclosed <b>bold", "<script"),  # malformed markup still comes back well formed
]


@pytest.mark.parametrize(("hostile", "forbidden"), HOSTILE, ids=[h[:40] for h, _ in HOSTILE])
def test_hostile_html_from_the_editor_is_stripped_before_storing_and_rendering(client, hostile, forbidden):
    client.force_login(staff_in("Editors"))
    data = form_data(body=f"<p>Text.</p>{hostile}", slug="hostile")
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:500]
    article = review_and_publish(Article.objects.get(slug="hostile"))
    assert forbidden.lower() not in article.body.lower()
    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('<div class="article-body">') : page.index("</article>")]
    assert forbidden.lower() not in body.lower()


def test_allowed_formatting_survives(client):
    client.force_login(staff_in("Editors"))
    body = (
        "<h2>Heading</h2><p><strong>bold</strong> <em>italic</em> "
        '<a href="https://example.org/page">link</a></p><ul><li>one</li></ul><blockquote><p>quote</p></blockquote>'
        '<figure><img src="/media/x.png" alt="A knee"><figcaption>Caption</figcaption></figure>'
    )
    client.post(ADD_URL, form_data(body=body, slug="kept"))
    stored = Article.objects.get(slug="kept").body
    for kept in ("<h2>", "<strong>", "<em>", 'href="https://example.org/page"', "<li>", "<blockquote>", 'alt="A knee"'):
        assert kept in stored
    assert 'rel="noopener noreferrer"' in stored


def test_a_body_written_around_the_form_is_still_cleaned_when_rendered(client, make_article):
    article = make_article(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    page = client.get(article.get_absolute_url()).content.decode()
    assert "onclick" not in page
    assert "alert(1)" not in page


# Addresses a browser would load from another host (or that hide one), however they are written.
ELSEWHERE = [
    "https://tracker.example/pixel.gif",
    "http://evil.example/x.png",
    "//evil.example/x.png",
    "/\\evil.example/x.png",
    "\\\\evil.example/x.png",
    "\\/evil.example/x.png",
    "/\t/evil.example/x.png",
    "/\n/evil.example/x.png",
    " //evil.example/x.png",
    "\x01//evil.example/x.png",
    "/%5Cevil.example/x.png",
    "/%2F/evil.example/x.png",
    "/media/x.png\\..\\..\\evil",
    "&#47;&#47;evil.example/x.png",
    "javascript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=",
    "x.png",
]


@pytest.mark.parametrize("src", ELSEWHERE)
def test_a_picture_from_elsewhere_is_a_form_error_naming_it(client, src):
    client.force_login(staff_in("Editors"))
    response = client.post(ADD_URL, form_data(body=f'<p>Text.</p><img src="{src}" alt="A knee">', slug="elsewhere"))
    assert response.status_code == 200, "the form comes back"
    errors = response.context["adminform"].form.errors["body"]
    assert len(errors) == 1
    assert "Pictures in the text must be on this site" in errors[0]
    shown = html.unescape(src) if src.startswith("&") else src
    assert f"“{shown}”" in errors[0]
    assert not Article.objects.exists()


@pytest.mark.parametrize("src", ELSEWHERE)
def test_a_picture_from_elsewhere_never_reaches_a_reader(make_article, client, src):
    article = make_article(body=f'<p>Text.</p><img src="{src}" alt="A knee">')  # written around the form
    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('<div class="article-body">') : page.index("</article>")]
    assert "evil.example" not in body
    assert "tracker.example" not in body
    assert "<img" not in body or 'src="' not in body.split("<img", 1)[1].split(">", 1)[0]


def test_a_picture_uploaded_here_is_kept(client):
    client.force_login(staff_in("Editors"))
    body = '<p>Text.</p><img src="/media/articles/body/2026/knee-brace_1.png" alt="A knee brace">'
    assert client.post(ADD_URL, form_data(body=body, slug="here")).status_code == 302
    assert 'src="/media/articles/body/2026/knee-brace_1.png"' in Article.objects.get().body
