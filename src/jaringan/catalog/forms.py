from django import forms
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [
    ("", _("Recognise it")),
    ("marc21", "MARC 21 (ISO 2709)"),
    ("marcxml", "MARCXML"),
    ("dc", _("Dublin Core XML")),
    ("mods", "MODS"),
    ("csv", _("CSV (one row per holding)")),
    ("ris", _("RIS (citations)")),
    ("bibtex", "BibTeX"),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file"))
    format = forms.ChoiceField(label=_("format"), choices=FORMAT_CHOICES, required=False)

