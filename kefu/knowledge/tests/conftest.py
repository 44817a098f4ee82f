from kefu.portal.tests.conftest import customer_client, portal  # noqa: F401  (shared fixtures)
