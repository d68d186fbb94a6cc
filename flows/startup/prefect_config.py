"""Whether the user configured a Prefect server of their own, found as Prefect finds it.

`jianggao run` starts a temporary server unless an API URL is configured. Prefect itself would
say (`prefect.settings.get_current_settings().api.url`), but importing its settings takes a
second or more, which the temporary server's start is meant to overlap; so the same sources are
read here, in Prefect 3's order (prefect/settings/sources.py), and tests/flows/test_profiles.py
checks every case against the installed Prefect's own answer.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from pathlib import Path
from typing import Any

try:
    from tomllib import loads as toml_loads
except ImportError:  # Python 3.10: the `toml` package, Prefect's own fallback, comes with Prefect
    from toml import loads as toml_loads


def configured_api_url() -> str | None:
    """The API URL the user configured, from Prefect's sources in Prefect's order: the
    environment, ./.env, ./prefect.toml (`[api] url`), ./pyproject.toml (`[tool.prefect.api]
    url`), then the active profile (a commented-out line or another profile's setting is not)."""
    found = (
        os.environ.get("PREFECT_API_URL")
        or _dotenv("PREFECT_API_URL")
        or _dig(_read_toml(Path("prefect.toml")), "api", "url")
        or _dig(_read_toml(Path("pyproject.toml")), "tool", "prefect", "api", "url")
        or active_profile().get("PREFECT_API_URL")
    )
    return found if isinstance(found, str) and found else None


# Prefect reads no profile at all in its test mode (prefect/settings/sources.py, _is_test_mode).
PREFECT_TEST_MODE = (
    "PREFECT_TEST_MODE",
    "PREFECT_UNIT_TEST_MODE",
    "PREFECT_TESTING_UNIT_TEST_MODE",
    "PREFECT_TESTING_TEST_MODE",
)


def active_profile() -> dict[str, Any]:
    """The settings of the Prefect profile in force, found the way Prefect 3 finds them
    (`ProfileSettingsTomlLoader` in prefect/settings/sources.py).

    The profile named by PREFECT_PROFILE, else the file's `active` key, in the profiles file
    (`profiles_path`); a name the file does not hold, or no file, means the default profile of
    the file Prefect ships; a file that is not TOML means no profile settings.
    """
    if any(os.environ.get(name) for name in PREFECT_TEST_MODE):
        return {}
    path = profiles_path()
    if not path.exists():
        return _shipped_profile()
    try:
        data = toml_loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):  # TOMLDecodeError is a ValueError
        return {}  # Prefect warns and takes no setting from a profile
    name = os.environ.get("PREFECT_PROFILE") or data.get("active")
    profiles = data.get("profiles")
    if not isinstance(profiles, dict) or not isinstance(name, str) or name not in profiles:
        return _shipped_profile()
    settings = profiles[name]
    return settings if isinstance(settings, dict) else {}


def profiles_path() -> Path:
    """Where Prefect reads its profiles (`_get_profiles_path` in prefect/settings/sources.py):
    PREFECT_PROFILES_PATH from the environment or ./.env, `profiles_path` in ./prefect.toml or
    ./pyproject.toml ([tool.prefect]), PREFECT_HOME/profiles.toml, ~/.prefect/profiles.toml, else
    the file Prefect ships."""
    if os.environ.get("PREFECT_PROFILES_PATH"):
        return Path(os.environ["PREFECT_PROFILES_PATH"])
    if found := _dotenv("PREFECT_PROFILES_PATH"):
        return Path(found)
    if found := _dig(_read_toml(Path("prefect.toml")), "profiles_path"):
        return Path(str(found))
    if found := _dig(_read_toml(Path("pyproject.toml")), "tool", "prefect", "profiles_path"):
        return Path(str(found))
    if os.environ.get("PREFECT_HOME"):
        return Path(os.environ["PREFECT_HOME"]) / "profiles.toml"
    home = Path.home() / ".prefect" / "profiles.toml"
    return home if home.exists() else _shipped_profiles_path()


def _dotenv(name: str) -> str | None:
    """A setting in ./.env, read as Prefect reads it (python-dotenv, which comes with Prefect)."""
    if not Path(".env").is_file():
        return None
    with contextlib.suppress(ImportError):
        from dotenv import dotenv_values

        return dotenv_values(".env").get(name)
    return None


def _shipped_profiles_path() -> Path:
    """The profiles file that comes with Prefect (found without importing Prefect)."""
    return Path(importlib.util.find_spec("prefect").origin).parent / "settings" / "profiles.toml"


def _shipped_profile() -> dict[str, Any]:
    """The active profile of the file Prefect ships (`ephemeral`: no API URL)."""
    data = _read_toml(_shipped_profiles_path())
    found = _dig(data, "profiles", str(data.get("active", "ephemeral")))
    return found if isinstance(found, dict) else {}


def _dig(data: Any, *keys: str) -> Any:
    """`data[k1][k2]…` through nested tables, or None where a table or key is missing."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents, or {} when it is missing, unreadable or not TOML."""
    try:
        return toml_loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):  # TOMLDecodeError is a ValueError
        return {}
