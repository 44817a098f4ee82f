from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import Form, ModelForm
from kefu.knowledge.models import Article


class ArticleForm(ModelForm):
    note = forms.CharField(label=_("Change note"), max_length=200, required=False)

    class Meta:
        model = Article
        fields = ["title", "category", "visibility", "keywords", "body", "is_published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class LinkForm(Form):
    article = forms.IntegerField(label=_("Article"), min_value=1)
