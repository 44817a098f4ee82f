"""Default profiles brought in line with the seeds, where an administrator has not changed them:
seed 001 — only the marketing director decides a complaint's plan (KSFA → KSPS / KSBM), and the
handling step is the complaint desk's, not key-account staff's; seed 003 — reporting an accident
to the unit head (SGDJ → SGBG) records the first measures taken (初期处理)."""

from django.db import migrations

DECIDE = [("KS", "KSFA", "KSPS"), ("KS", "KSFA", "KSBM")]
HANDLE = ("KS", "KSPS", "KSCZ")
REPORT = ("SG", "SGDJ", "SGBG")


def _transition(Transition, profile, src, dst):
    return Transition.objects.filter(
        profile__code=profile, from_status__code=src, to_status__code=dst
    ).first()


def forwards(apps, schema_editor):
    Transition = apps.get_model("workflow", "Transition")
    for key in DECIDE:
        t = _transition(Transition, *key)
        if t is not None and set(t.allowed_roles.values_list("code", flat=True)) == {
            "marketing_director",
            "manager",
        }:
            t.allowed_roles.remove(*t.allowed_roles.filter(code="manager"))
    t = _transition(Transition, *HANDLE)
    roles = set(t.allowed_roles.values_list("code", flat=True)) if t is not None else set()
    if roles == {"complaint_specialist", "supervisor", "manager", "key_account"}:
        t.allowed_roles.remove(*t.allowed_roles.filter(code="key_account"))
    t = _transition(Transition, *REPORT)
    if t is not None and not t.required_fields:
        t.required_fields = ["initial_measures"]
        t.save(update_fields=["required_fields"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_escalation_sweep_indexes"), ("workflow", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
