"""`id_url`: the list rows' links, resolved once a page (kefu.core.jinja)."""


def test_id_url_gives_what_reverse_gives_for_every_row():
    from django.urls import reverse

    from kefu.core.jinja import id_url

    detail = id_url("contacts:detail")
    for pk in (1, 42, 7_364_219_508, 2**63 - 1):
        assert detail(pk) == reverse("contacts:detail", args=[pk])
