"""The API speaks one dialect: a coded value is `x` (the code) with `x_label` (its translated
label) beside it — never `x_code` + `x`, never a label alone where the code exists."""

from kefu.api.site import api


def test_every_label_has_its_code_and_no_field_is_named_code_beside_its_label():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    problems = []
    for name, schema in schemas.items():
        fields = set(schema.get("properties") or {})
        for field in fields:
            if field.endswith("_label") and field.removesuffix("_label") not in fields:
                problems.append(f"{name}.{field} has no code field")
            if field.endswith("_code") and field.removesuffix("_code") in fields:
                problems.append(f"{name}.{field}: the code is `{field.removesuffix('_code')}`")
            if field == "status_name":
                problems.append(f"{name}.{field}: a status label is `status_label`")
    assert not problems, problems
    notification = schemas["RowOut"]["properties"]
    assert {
        "status",
        "status_label",
        "stage",
        "stage_label",
        "payment_status",
        "payment_status_label",
    } <= set(notification)
