from pathlib import Path

import pytest

from shian.sampling.services import catalogue_load, limits_load

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def starter(db):
    """The shipped starter catalogue and limit sets."""
    catalogue, _ = catalogue_load(content=(DATA / "catalogue-cn-starter.toml").read_bytes())
    for path in sorted(DATA.glob("limits-*.toml")):
        limits_load(content=path.read_bytes())
    return catalogue
