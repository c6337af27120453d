from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .base import DocumentError
from .registry import check_size, limit_for, supported_suffixes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented recipe for a field that takes several files."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class DocumentUploadForm(forms.Form):
    """One or more documents of a supported type and size; the worker reads them all before
    anything is written."""

    documents = MultipleFileField(
        label=_("Documents"),
        widget=MultipleFileInput(attrs={"accept": ",".join(supported_suffixes())}),
        help_text=_(
            "Word (.docx), LibreOffice (.odt), PDF with its text, a saved web page (.html), "
            "plain text (.txt) or Markdown (.md)."
        ),
    )

    replace_edited = forms.BooleanField(
        label=_("Replace the lessons edited in the browser"),
        required=False,
        help_text=_(
            "Unticked, a lesson edited here since its import keeps its text; the report lists it."
        ),
    )

    def clean_documents(self) -> list[UploadedFile]:
        files = self.cleaned_data["documents"]
        if not files:
            raise forms.ValidationError(_("Choose at least one document."))
        errors = []
        for upload in files:
            try:
                source = upload.name or "document"
                limits = {
                    "max_bytes": settings.COURSES_IMPORT_MAX_BYTES,
                    "max_package_bytes": settings.COURSES_IMPORT_MAX_PACKAGE_BYTES,
                }
                # The file's type and size now; what it holds is read in the background
                # (ingest.services.import_run), all files or none.
                check_size(upload.size or 0, max_bytes=limit_for(source, **limits))
            except DocumentError as error:
                errors.append(
                    forms.ValidationError(
                        _("%(name)s: %(problem)s"),
                        params={"name": upload.name, "problem": error},
                        code=error.code,
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return files
