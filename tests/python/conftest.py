# Shared fixtures: the source tree's data files, and the ecsq CLI when ctest names it (ECSQ_CLI),
# for the tests that compare the module with the command line.
import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("ECSQ_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2])


@pytest.fixture
def source() -> pathlib.Path:
    return SOURCE


@pytest.fixture
def place_dir() -> pathlib.Path:
    return SOURCE / "tests" / "cli" / "place"


@pytest.fixture
def cli() -> str:
    path = os.environ.get("ECSQ_CLI")
    if not path:
        pytest.fail("ECSQ_CLI is not set: run through ctest, or set it to the ecsq binary")
    return path


def instance_dict(ec2_id: str, attributes: dict) -> dict:
    """A describe-container-instances record with these attributes."""
    return {"ec2InstanceId": ec2_id, "attributes": [{"name": name, "value": value} for name, value in attributes.items()]}
