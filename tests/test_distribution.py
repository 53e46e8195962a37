import subprocess
import sys


def test_console_scripts_are_installed_and_reject_unknown_commands():
    for module in ("content_api.cli", "a11y_audit.cli"):
        proc = subprocess.run(
            [sys.executable, "-m", module, "no-such-command"], capture_output=True, text=True
        )
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
