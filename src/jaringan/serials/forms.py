from django import forms
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [
    ("", _("recognise from the file")),
    ("mfhd", _("MARC holdings (MFHD), MARCXML or MARC 21")),
    ("table", _("KBART, a title list or a CSV of holdings")),
]


class HoldingsUploadForm(forms.Form):
    file = forms.FileField(label=_("file"))
    format = forms.ChoiceField(label=_("format"), choices=FORMAT_CHOICES, required=False)


class WhoHoldsForm(forms.Form):
    volume = forms.IntegerField(label=_("volume"), min_value=0, max_value=100_000, required=False)
    year = forms.IntegerField(label=_("year"), min_value=1000, max_value=3000, required=False)
