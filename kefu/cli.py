"""`kefu`: the project command line (`kefu demo`, `kefu generate`, `kefu serve`, any manage.py command)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kefu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
