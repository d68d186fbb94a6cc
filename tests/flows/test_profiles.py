"""The API URL a user configured for Prefect: read from the files Prefect reads, in its order, the
active profile only, and the same URL Prefect itself would use (its own settings are asked too)."""

import contextlib

import pytest

from flows.startup.prefect_config import PREFECT_TEST_MODE, configured_api_url

URL = "http://127.0.0.1:4200/api"
OTHER = "http://10.0.0.7:4200/api"

CASES = {
    "active_sets_it": f'active = "work"\n\n[profiles.work]\nPREFECT_API_URL = "{URL}"\n',
    "commented_out": (
        f'active = "work"\n\n[profiles.work]\n# PREFECT_API_URL = "{URL}"\nPREFECT_LOGGING_LEVEL = "INFO"\n'
    ),
    "inactive_profile_sets_it": (
        f'active = "home"\n\n[profiles.home]\nPREFECT_LOGGING_LEVEL = "INFO"\n\n'
        f'[profiles.work]\nPREFECT_API_URL = "{URL}"\n'
    ),
    "in_a_string_only": 'active = "home"\n\n[profiles.home]\nPREFECT_LOGGING_LEVEL = "PREFECT_API_URL"\n',
    "two_profiles_the_active_one_wins": (
        f'active = "work"\n\n[profiles.home]\nPREFECT_API_URL = "{OTHER}"\n\n'
        f'[profiles.work]\nPREFECT_API_URL = "{URL}"\n'
    ),
    "active_names_a_missing_profile": f'active = "gone"\n\n[profiles.work]\nPREFECT_API_URL = "{URL}"\n',
    "no_active_key": f'[profiles.work]\nPREFECT_API_URL = "{URL}"\n',
    "not_toml": f'active = "work"\n[profiles.work\nPREFECT_API_URL = "{URL}"\n',
}
EXPECTED = {
    "active_sets_it": URL,
    "commented_out": None,
    "inactive_profile_sets_it": None,
    "in_a_string_only": None,
    "two_profiles_the_active_one_wins": URL,
    "active_names_a_missing_profile": None,
    "no_active_key": None,
    "not_toml": None,
}


@pytest.fixture
def profiles(tmp_path, monkeypatch):
    """A function writing a profiles file in tmp_path and pointing PREFECT_PROFILES_PATH at it,
    in an environment with no other Prefect setting that would decide the answer."""
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_HOME", *PREFECT_TEST_MODE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env, prefect.toml or pyproject.toml of ours is read

    def write(case: str) -> None:
        path = tmp_path / f"{case}.toml"
        path.write_text(CASES[case], encoding="utf-8")
        monkeypatch.setenv("PREFECT_PROFILES_PATH", str(path))

    return write


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_active_profile_alone_decides(profiles, case):
    profiles(case)
    assert configured_api_url() == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_prefect_itself_reads_the_same_url(profiles, case):
    from prefect.settings import Settings

    profiles(case)
    with pytest.warns(UserWarning) if case == "not_toml" else contextlib.nullcontext():
        theirs = Settings().api.url
    assert configured_api_url() == theirs


def test_prefect_profile_in_the_environment_picks_the_profile(profiles, monkeypatch):
    profiles("inactive_profile_sets_it")
    monkeypatch.setenv("PREFECT_PROFILE", "work")
    assert configured_api_url() == URL
    monkeypatch.setenv("PREFECT_PROFILE", "home")
    profiles("two_profiles_the_active_one_wins")
    assert configured_api_url() == OTHER


def test_the_environment_wins_and_a_missing_file_configures_nothing(profiles, monkeypatch, tmp_path):
    profiles("active_sets_it")
    monkeypatch.setenv("PREFECT_API_URL", OTHER)
    assert configured_api_url() == OTHER
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "none.toml"))
    assert configured_api_url() is None


def test_prefect_home_holds_the_profiles_file_when_no_path_is_given(profiles, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "profiles.toml").write_text(CASES["active_sets_it"], encoding="utf-8")
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    assert configured_api_url() == URL


PROJECT_FILES = {
    ".env": f"PREFECT_API_URL={OTHER}\n",
    "prefect.toml": f'[api]\nurl = "{OTHER}"\n',
    "pyproject.toml": f'[project]\nname = "corpus"\n\n[tool.prefect.api]\nurl = "{OTHER}"\n',
}


@pytest.mark.parametrize("name", sorted(PROJECT_FILES))
def test_a_project_file_in_the_working_folder_sets_it_before_the_profile(profiles, tmp_path, name):
    from prefect.settings import Settings

    profiles("active_sets_it")
    (tmp_path / name).write_text(PROJECT_FILES[name], encoding="utf-8")
    assert configured_api_url() == OTHER == Settings().api.url


def test_a_pyproject_without_prefect_settings_leaves_the_profile_in_force(profiles, tmp_path):
    from prefect.settings import Settings

    profiles("active_sets_it")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "corpus"\n', encoding="utf-8")
    assert configured_api_url() == URL == Settings().api.url
