"""The README's Python example runs as written and prints what the README says it prints."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_api_example_prints_what_the_readme_shows():
    section = README.read_text(encoding="utf-8").split("## Use it from Python", 1)[1]
    code, shown = re.search(r"```python\n(.*?)```.*?```text\n(.*?)```", section, re.S).groups()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == shown


def test_the_api_does_not_import_prefect():
    import subprocess
    import sys

    probe = "import sys, cleaners; cleaners.clean_document(b'', 'x.txt'); print('prefect' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
