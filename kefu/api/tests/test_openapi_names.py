"""Each schema name in the OpenAPI document means one shape. ninja names a component after its
class and keeps the last one it meets, so two apps' `ContactOut` made the customer contacts
endpoint document a contact record's fields (schemathesis: "channel" is a required property)."""

from collections import defaultdict


def _schema_classes(base, found):
    for sub in base.__subclasses__():
        if sub.__module__.startswith("kefu."):
            found[sub.__name__].append(sub)
        _schema_classes(sub, found)
    return found


def test_no_two_api_schemas_share_a_name():
    import json

    from ninja import Schema

    from kefu.api.site import api

    api.get_openapi_schema()  # every router mounted, every Page[...] built
    clashes = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in _schema_classes(Schema, defaultdict(list)).items()
        if len({json.dumps(c.model_json_schema(), sort_keys=True) for c in classes}) > 1
    }
    assert not clashes, f"rename one of each: {clashes}"
