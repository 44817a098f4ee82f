from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAV_ITEMS = [
    {
        "label": _("Call centre"),
        "url": "contacts:call_list",
        "group": "channels",
        "icon": "headset",
        "perm": "contacts.view_call",
        "order": 50,
    },
    {
        "label": pgettext_lazy("contacts", "Contacts"),
        "url": "contacts:list",
        "group": "channels",
        "icon": "person-lines-fill",
        "perm": "contacts.view_contact",
        "order": 51,
    },
]

# The screen-pop listener 来电弹屏: rendered once per page; kefu.js polls the cursor endpoint.
NAVBAR_WIDGETS = [{"url": "contacts:pop_widget", "perm": "contacts.answer_call"}]
