"""`rendered_fields`: unbound forms rendered once per key and language, built only on a miss."""

from django import forms

from kefu.core import buffer
from kefu.core.forms import Form, rendered_fields


class NoteForm(Form):
    note = forms.CharField(label="Note", max_length=10)


def test_an_unbound_form_factory_is_built_only_when_the_buffer_has_no_copy():
    buffer.clear()
    built = []

    def factory():
        built.append(1)
        return NoteForm()

    first = rendered_fields("test.note", {"note_form": factory})
    second = rendered_fields("test.note", {"note_form": factory})
    assert 'name="note"' in first["note_form"]["note"]
    assert second == first
    assert len(built) == 1


def test_a_bound_form_is_rendered_afresh_with_its_value_and_error():
    buffer.clear()
    rendered_fields("test.note", {"note_form": NoteForm})
    bound = NoteForm(data={"note": "x" * 11})
    assert not bound.is_valid()
    fields = rendered_fields("test.note", {"note_form": bound})
    assert "x" * 11 in fields["note_form"]["note"]
    assert "is-invalid" in fields["note_form"]["note"]
