"""Shared fixtures. Tests that need ../shared (not on a user's machine) skip when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "kontan-2022-09-13.txt"


def shared_path(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"needs ../shared/{rel} (the project's shared data, present in CI beside the clone)")
    return path


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    """Tests never read or write the developer's own knowledge-base overlay."""
    import os
    old = os.environ.get("KG_HOME")
    os.environ["KG_HOME"] = str(tmp_path_factory.mktemp("kg-home"))
    yield
    if old is None:
        os.environ.pop("KG_HOME", None)
    else:
        os.environ["KG_HOME"] = old
