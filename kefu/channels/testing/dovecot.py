"""A real IMAP server for tests: Debian's dovecot-imapd on a free loopback port, in a temp dir.

Users live in a passwd-file that dovecot reads at every login, so a test can add its own user
(its own empty INBOX) while the server runs. Mail is put in with IMAP APPEND, as a mail server
would deliver it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = kefu-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


USERS = 500


def _account(n: int) -> tuple[str, str]:
    return f"box{n}@example.com", f"pw-{n}"


def available() -> bool:
    return os.path.exists(DOVECOT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    host: str = "127.0.0.1"
    _users: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_user(self) -> tuple[str, str]:
        """A fresh IMAP account with an empty INBOX: (user name, password).

        The accounts are written before the server starts (dovecot notices a changed passwd-file
        by its modification second, which two quick tests can share)."""
        n = next(self._users)
        if n > USERS:
            raise RuntimeError("no more test accounts")
        return _account(n)

    def client(self, user: str, password: str):
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, password)
        return client

    def deliver(self, user: str, password: str, *messages: bytes) -> None:
        client = self.client(user, password)
        try:
            for message in messages:
                client.append("INBOX", message)
        finally:
            client.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Dovecot:
    """Start dovecot in the foreground on a free port; wait until it answers."""
    import grp
    import pwd

    root = Path(tempfile.mkdtemp(prefix="kefu-dovecot-"))
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "passwd").write_text(
        "".join(f"{name}:{{PLAIN}}{password}\n" for name, password in map(_account, range(1, USERS + 1))),
        encoding="utf-8",
    )
    if os.geteuid() == 0:
        user, group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        os.chmod(root / "mail", 0o777)
        os.chmod(root, 0o755)
    else:  # unprivileged: dovecot runs every process as ourselves
        user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    port = _free_port()
    (root / "dovecot.conf").write_text(
        CONFIG.format(root=root, port=port, user=user, group=group), encoding="utf-8"
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(
                f"dovecot exited: {process.stderr.read().decode() if process.stderr else ''}{log}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                if conn.recv(100).startswith(b"* OK"):
                    return Dovecot(root=root, port=port, process=process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("dovecot did not answer on its port")
