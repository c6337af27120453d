"""The lesson editor's form: title, Markdown text, the version it was opened at; a picture to
upload with its description, or one of the course's to insert."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LessonEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "lang": "fr"}),
        help_text=_(
            "## a heading, - a list item, **bold**, *italic*, [a link](https://…), a table "
            "with | between its cells. Pictures: upload them below."
        ),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    picture = forms.ImageField(
        label=_("A picture to add"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, 5 MB at most; its metadata is removed."),
    )
    picture_alt = forms.CharField(
        label=_("Its description (alt text)"),
        max_length=500,
        required=False,
        help_text=_("What the picture shows, for learners who cannot see it."),
    )


class LessonAddForm(forms.Form):
    title = forms.CharField(label=_("Title of the new lesson"), max_length=300)
    text = forms.CharField(
        label=_("Its text (Markdown)"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A first paragraph at least: you edit the rest in the editor."),
    )
