from django import forms

from .html import sanitize_html
from .models import Article


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "body", "status", "published_at"]

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data["body"])
