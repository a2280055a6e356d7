"""Every lessons test runs with its own state (progress) and a shared per-run build cache."""

import pytest


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def private_dirs(monkeypatch, tmp_path, cache_home):
    """Progress goes to a fresh folder; compiled demos are shared by the tests of one worker."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
