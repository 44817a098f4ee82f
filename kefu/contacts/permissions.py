"""Who may do what with contacts, calls and outbound call lists (data scope comes from the role)."""

_VIEW = ["contacts.view_contact", "contacts.view_call", "contacts.view_calllist"]
_AGENT = [*_VIEW, "contacts.answer_call", "contacts.add_contact", "contacts.handover_contact"]
_LISTS = ["contacts.add_calllist", "contacts.change_calllist"]

ROLE_GRANTS = {
    "manager": [*_AGENT, *_LISTS],
    "assistant": [*_AGENT],
    "supervisor": [*_AGENT, *_LISTS],
    "technician": ["contacts.view_contact", "contacts.handover_contact"],
    "complaint_specialist": [*_AGENT],
    "key_account": [*_AGENT],
    "relationship_supervisor": [*_AGENT, *_LISTS],
    "information_specialist": [*_AGENT],
    "marketing_director": [*_VIEW],
    "administrator": [*_VIEW],
}
