"""ecsq: the Amazon ECS cluster query language, from Python.

The same behaviour as the C++ library and the ``ecsq`` command line: check and format
expressions, evaluate them on instances (``ecsq.Instance`` or dicts in the AWS shape), select
from fleets read from ``describe-container-instances`` JSON, lint task definitions and templates,
and place tasks as ECS would.

    >>> import ecsq
    >>> q = ecsq.check("attribute:ecs.os-type == linux")
    >>> q.matches({"ec2InstanceId": "i-1", "attributes": [{"name": "ecs.os-type", "value": "linux"}]})
    True
"""

from ._ecsq import (
    Diagnostic,
    ExplainLine,
    ExplainNode,
    Explanation,
    Finding,
    FixIt,
    Fleet,
    FleetError,
    Instance,
    PlacedTask,
    PlacementError,
    PlacementFailure,
    PlacementResult,
    Query,
    QueryError,
    __version__,
    check,
    fmt,
    lint,
    lint_report,
    place,
)

__all__ = [
    "Diagnostic",
    "ExplainLine",
    "ExplainNode",
    "Explanation",
    "Finding",
    "FixIt",
    "Fleet",
    "FleetError",
    "Instance",
    "PlacedTask",
    "PlacementError",
    "PlacementFailure",
    "PlacementResult",
    "Query",
    "QueryError",
    "__version__",
    "check",
    "fmt",
    "lint",
    "lint_report",
    "place",
]
