"""Tests that start servers, clusters, browsers or whole runs are marked `slow`.

CI runs everything; a developer runs the fast tests in seconds with `pytest -m "not slow"`.
A test is slow when it uses Prefect's test harness (a real temporary server) or lives in a
module whose tests each start real `jianggao` runs, Dask clusters or Chromium.
"""

import pytest

SLOW_MODULES = {"test_serve", "test_dask", "test_crash_recovery", "test_cli", "test_operations"}
SLOW_FIXTURES = {"prefect_harness", "review_page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        name = module.__name__.rsplit(".", 1)[-1] if module else ""
        if name in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
