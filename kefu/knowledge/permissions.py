"""Who may read and write the knowledge base (customer users read public articles in the portal)."""

_READ = ["knowledge.view_article"]
_WRITE = [*_READ, "knowledge.add_article", "knowledge.change_article"]

ROLE_GRANTS = {
    "manager": _WRITE,
    "assistant": _WRITE,
    "supervisor": _WRITE,
    "technician": _READ,
    "complaint_specialist": _WRITE,
    "key_account": _READ,
    "relationship_supervisor": _READ,
    "information_specialist": _WRITE,
    "marketing_director": _READ,
    "administrator": _WRITE,
}
