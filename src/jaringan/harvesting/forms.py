from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HarvestSource


class SourceForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120, required=False)
    endpoint = forms.URLField(label=_("OAI-PMH base URL"), assume_scheme="https")
    metadata_prefix = forms.ChoiceField(label=_("metadata format"),
                                        choices=[("oai_dc", "oai_dc"), ("marc21", "marc21"), ("marcxml", "marcxml")])
    set_spec = forms.CharField(label=_("set"), max_length=200, required=False)
    every_hours = forms.IntegerField(label=_("harvest every (hours)"), min_value=1, max_value=24 * 365, initial=24)
    harvest_mode = forms.ChoiceField(label=_("harvest mode"), initial=HarvestSource.Mode.AUTO, required=False,
                                     choices=HarvestSource.Mode.choices)

    def clean_harvest_mode(self):
        return self.cleaned_data.get("harvest_mode") or "auto"
