from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Knowledge base"),
        "url": "knowledge:list",
        "group": "channels",
        "icon": "journal-text",
        "perm": "knowledge.view_article",
        "order": 70,
    },
]
