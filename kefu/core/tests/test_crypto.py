"""kefu.core.crypto: secrets encrypted at rest, readable under every listed key, never in clear."""

from kefu.core import crypto


def test_encrypts_once_and_reads_back(settings):
    settings.KEFU_FIELD_KEY = ""
    stored = crypto.encrypt("imap-pass-2026")
    assert stored.startswith(crypto.PREFIX) and "imap-pass-2026" not in stored
    assert crypto.encrypt(stored) == stored  # already encrypted: left alone
    assert crypto.decrypt(stored) == "imap-pass-2026"
    assert crypto.decrypt("legacy plaintext") == "legacy plaintext"
    assert crypto.encrypt("") == ""


def test_a_dedicated_key_later_still_reads_values_written_under_secret_key(settings):
    settings.KEFU_FIELD_KEY = ""
    old = crypto.encrypt("wx-secret")
    settings.KEFU_FIELD_KEY = "a passphrase chosen by the administrator"
    new = crypto.encrypt("wx-secret")
    assert crypto.decrypt(old) == crypto.decrypt(new) == "wx-secret"
    # Rotation re-encrypts under the dedicated key: readable without SECRET_KEY's key.
    rotated = crypto.rotate(old)
    settings.SECRET_KEY = "a-completely-different-secret-key-for-this-test-0123456789"
    assert crypto.decrypt(rotated) == "wx-secret"
    assert crypto.decrypt(old) == ""  # its key is gone: empty, not a crash


def test_a_fernet_key_is_used_as_given(settings):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    settings.KEFU_FIELD_KEY = key
    stored = crypto.encrypt("x")
    assert Fernet(key.encode()).decrypt(stored[len(crypto.PREFIX) :].encode()) == b"x"
