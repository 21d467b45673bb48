"""Forms for the staff pages. They only shape input; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from jaringan.core import agreements as rules

from .models import Agreement, BorderRule, DeliveryMethod, Library, Network
from .texts import SERVICE_LABELS

LANG_CODE = re.compile(r"^[a-z]{3}$")


class LanguagesField(forms.CharField):
    """ISO 639-2 codes typed as `ind, eng, jav`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("ISO 639-2 codes separated by commas, e.g. ind, eng, jav"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        codes = [c.strip().lower() for c in text.split(",") if c.strip()]
        bad = [c for c in codes if not LANG_CODE.match(c)]
        if bad:
            raise forms.ValidationError(
                _("Not a three-letter language code: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return list(dict.fromkeys(codes))


class LocationsField(forms.CharField):
    """Shelf locations typed one a line (as the library's records name them)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return list(dict.fromkeys(x.strip() for x in text.splitlines() if x.strip()))


class LibraryForm(forms.ModelForm):
    languages = LanguagesField(label=_("languages"), required=False)
    local_content_locations = LocationsField(
        label=_("local-content locations"), required=False,
        help_text=_("One a line, as your records name the shelf location (e.g. Koleksi Lokal): the network's "
                    "rules may keep these items in their region."))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    delivery_methods = forms.MultipleChoiceField(
        label=_("delivery methods"), choices=DeliveryMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Library
        fields = [
            "code", "name", "kind", "address", "city", "province", "country", "latitude", "longitude", "languages",
            "collection_size", "open_to_outsiders", "annual_budget", "budget_fixed", "staff_count",
            "contact_name", "email", "phone", "website", "offers_loan", "offers_copy", "offers_reciprocal",
            "delivery_methods", "local_content_locations",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = False

    def clean_country(self):
        """Indonesia when left empty; the code in capitals however typed."""
        return (self.cleaned_data.get("country") or "ID").strip().upper()


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "code", "name", "description", "description_en", "structure", "library_kind", "scope", "area",
            "jurisdiction", "funding", "min_collection_size", "min_staff",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class AgreementForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("services"),
        choices=[(s.value, SERVICE_LABELS[s]) for s in rules.Service],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Agreement
        fields = [
            "code", "title", "purpose", "form", "document_ref", "services", "coverage", "relation", "starts",
            "ends", "fee_per_loan", "fee_per_page", "shipping_paid_by", "free_loans_per_year", "technology",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "technology": forms.Textarea(attrs={"rows": 2}),
            "starts": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class PartyForm(forms.Form):
    library = forms.ChoiceField(label=_("library"), required=False)
    role = forms.ChoiceField(label=_("role"), choices=[("both", _("asks and supplies")),
                                                       ("supplier", _("supplies")), ("recipient", _("asks"))])

    def __init__(self, *args, library_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [("", "—")] + list(library_choices)


class ResponsibilityForm(forms.Form):
    library = forms.ChoiceField(label=_("library"), required=False)
    scheme = forms.ChoiceField(label=_("classification"), choices=[(s.value, s.value) for s in rules.Scheme])
    start = forms.CharField(label=_("from class"), max_length=20, required=False)
    end = forms.CharField(label=_("to class"), max_length=20, required=False)
    subject = forms.CharField(label=_("subject"), max_length=120, required=False)

    def __init__(self, *args, library_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [("", "—")] + list(library_choices)


PartyFormSet = formset_factory(PartyForm, extra=3)
ResponsibilityFormSet = formset_factory(ResponsibilityForm, extra=3)


def filled_rows(formset, keys=("library",)) -> list[dict]:
    """The rows of a bound, valid formset that were filled in."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and all(f.cleaned_data.get(k) for k in keys)]


class ApplyForm(forms.Form):
    library = forms.ModelChoiceField(label=_("library"), queryset=Library.objects.none(), to_field_name="code")
    network = forms.ModelChoiceField(label=_("network"), queryset=Network.objects.all(), to_field_name="code")
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if libraries is not None:
            self.fields["library"].queryset = libraries


class CheckForm(forms.Form):
    requester = forms.ModelChoiceField(label=_("requesting library"), queryset=Library.objects.all(),
                                       to_field_name="code")
    supplier = forms.ModelChoiceField(label=_("supplying library"), queryset=Library.objects.all(),
                                      to_field_name="code")
    service = forms.ChoiceField(label=_("service"), choices=[(s.value, SERVICE_LABELS[s]) for s in rules.Service])
    on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    pages = forms.IntegerField(label=_("pages (copies)"), required=False, min_value=1, max_value=10000)
    local_content = forms.BooleanField(label=_("the item is of the supplier's local content (loans)"),
                                       required=False)


class BorderRuleForm(forms.Form):
    """A border rule as the coordinator states it (`network.borders.border_rule_add` checks it again)."""

    kind = forms.ChoiceField(label=_("rule"), choices=BorderRule.Kind.choices)
    region = forms.ChoiceField(label=_("local content may go as far as"), required=False,
                               choices=[("", "—"), *BorderRule.Region.choices])
    library = forms.ChoiceField(label=_("last resort (none chosen: every national library)"), required=False)
    note = forms.CharField(label=_("note (e.g. the regulation it follows)"), required=False, max_length=300)

    def __init__(self, *args, library_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [("", "—"), *library_choices]
