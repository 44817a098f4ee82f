"""The form renderer: Django's Jinja2 widget templates (3–5× cheaper per field than the Django
engine's), and the Django engine for templates only it has — the admin's own widget wrappers
(`admin/widgets/related_widget_wrapper.html`), without which no admin page with a foreign key renders."""

from __future__ import annotations

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class KefuFormRenderer(Jinja2):
    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
