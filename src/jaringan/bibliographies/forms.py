from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Bibliography


class BibliographyForm(forms.ModelForm):
    class Meta:
        model = Bibliography
        fields = ["title", "compiler", "scope_note", "style", "public"]
        labels = {"public": _("Public: listed for everyone (a private list is seen only by you and by whoever has its link)")}
        widgets = {"scope_note": forms.Textarea(attrs={"rows": 4})}
