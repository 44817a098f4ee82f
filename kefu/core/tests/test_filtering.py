"""The list pages' FilterSet base (kefu.core.filtering.FilterSet): cheap copies, no shared state."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model

from kefu.core.filtering import FilterSet


class Probe(FilterSet):
    q = django_filters.CharFilter(method="by_q")
    username = django_filters.CharFilter()

    class Meta:
        model = get_user_model()
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: list[str] = []

    def by_q(self, queryset, name, value):
        self.seen.append(value)
        return queryset


class ByRequest(FilterSet):
    group = django_filters.ModelChoiceFilter(queryset=lambda request: get_user_model().objects.none())

    class Meta:
        model = get_user_model()
        fields: list[str] = []


def _users():
    return get_user_model().objects.none()


def test_a_method_filter_runs_on_its_own_filterset():
    first, second = Probe({"q": "甲"}, queryset=_users()), Probe({"q": "乙"}, queryset=_users())
    assert first.is_valid() and second.is_valid()
    second.qs, first.qs  # noqa: B018 - apply the filters
    assert first.seen == ["甲"] and second.seen == ["乙"]


def test_the_form_class_is_built_once_and_forms_are_separate():
    first, second = Probe({"username": "a"}, queryset=_users()), Probe({"username": "b"}, queryset=_users())
    assert type(first.form) is type(second.form)
    assert first.form is not second.form
    assert first.is_valid() and first.form.cleaned_data["username"] == "a"
    assert second.is_valid() and second.form.cleaned_data["username"] == "b"


def test_a_change_to_one_filterset_reaches_no_other():
    first = Probe({}, queryset=_users())
    first.filters["username"].extra["help_text"] = "only here"
    first.filters["username"].label = "only here"
    second = Probe({}, queryset=_users())
    assert "help_text" not in second.filters["username"].extra
    assert second.filters["username"].label != "only here"
    assert first.filters["username"] is not second.filters["username"]


def test_a_request_dependent_field_keeps_a_form_per_request():
    assert type(ByRequest({}, queryset=_users()).form) is not type(ByRequest({}, queryset=_users()).form)
