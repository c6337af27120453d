"""Forms of the cohort pages: the cohort itself, sharing it, and a list of learners to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort

from . import csvimport
from .services import cohort_dates_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        # ISO dates: what <input type="date"> sends and expects, whatever the language.
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.ModelForm):
    """Name, dates and reminder of a cohort; the dates' order is the service's rule."""

    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "deadline", "reminder_days"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "deadline": DateInput(),
            "reminder_days": forms.NumberInput(attrs={"min": 1, "max": 90}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. IDE oncologie — promotion 2027")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, deadline = (data.get(k) for k in ("starts_on", "ends_on", "deadline"))
        if starts and ends and deadline:
            # The service's rule, shown beside the field at fault.
            for field, message in cohort_dates_errors(
                starts_on=starts, ends_on=ends, deadline=deadline
            ).items():
                self.add_error(field, message)
        return data


class ShareForm(forms.Form):
    email = forms.EmailField(
        label=_("Co-instructor's e-mail address"),
        help_text=_("They must already have an instructor account on the site."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of learners (CSV)"),
        help_text=_(
            "Columns: e-mail, first name, last name (headers in French or English). Separated "
            "by semicolons or commas, as Excel or LibreOffice save it (UTF-8 or Windows-1252)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self) -> csvimport.ParsedList:
        upload = self.cleaned_data["file"]
        limit = settings.COHORT_IMPORT_MAX_BYTES
        try:
            # Checked before reading: a huge upload is refused without being read into memory.
            csvimport.check_size(upload.size, max_bytes=limit)
            return csvimport.parse(
                upload.read(), max_bytes=limit, max_rows=settings.COHORT_IMPORT_MAX_ROWS
            )
        except csvimport.CsvError as error:
            raise forms.ValidationError(str(error)) from error


class ConfirmForm(forms.Form):
    """The preview's confirmation: it names the preview it confirms (a one-time key)."""

    preview = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RemindForm(forms.Form):
    """An instructor's own words at the top of the reminder, if she wants any (plain text)."""

    message = forms.CharField(
        label=_("Your message (optional)"),
        help_text=_("Added at the top of the e-mail, before what the learner has left to do."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResendForm(forms.Form):
    """How many times the page showed the invitation re-sent: a second submission finds it
    changed and sends nothing more."""

    resends = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
