"""`manage.py check --deploy` is clean with production settings (HTTPS on, a real secret, DEBUG off)."""

import os
import subprocess
import sys

from django.conf import settings


def test_check_deploy_is_clean(tmp_path):
    env = {
        **os.environ,
        "KEFU_HTTPS": "1",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "kefu.example.com",
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_TESTING": "0",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--database",
            "default",
            "--fail-level",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_generated_once_and_kept(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    env.pop("SECRET_KEY", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert len(runs[0]) >= 50 and runs[0] == runs[1]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_collectstatic_builds_a_complete_manifest(tmp_path):
    """`make run` serves hashed, compressed files; every file a CSS/JS file references must exist."""
    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path), "KEFU_TESTING": "0", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
