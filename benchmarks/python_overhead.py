"""What calling ecsq from Python costs (benchmarks/RESULTS.md, "Python overhead").

Measures, on one generated fleet of 100,000 instances (seed 42: 16 instance types, 6 zones,
8 % Windows, a stack and a team attribute, a few capability attributes, 0-3 task groups):
  - Query.matches on one dict in the AWS shape per call (json.dumps + the library's fleet reader
    + evaluate), and on a prebuilt ecsq.Instance (evaluate alone);
  - Fleet.select (compile + select + the list of ec2InstanceIds) and Fleet.count (compile +
    count: the same C++ work without building the list), per call and per instance;
  - building the Fleet from one JSON text, from 100,000 dicts and from 100,000 ecsq.Instance objects.
Every figure is CPU time (time.process_time: the machine is shared, so wall time says more
about the other processes than about ecsq), the least of 5 runs. Usage:
    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_overhead.py
"""

import json
import random
import time

import ecsq

TYPES = [("m5.large", 20), ("m5.xlarge", 12), ("c5.large", 10), ("c5.xlarge", 8), ("r5.large", 6), ("t3.medium", 8),
         ("t2.micro", 4), ("t2.small", 4), ("m6g.large", 6), ("c6g.large", 5), ("g4dn.xlarge", 3), ("p3.2xlarge", 1),
         ("i3.large", 3), ("m5.2xlarge", 5), ("r5.xlarge", 3), ("c5.2xlarge", 2)]
ZONES = [f"us-east-1{z}" for z in "abcdef"]
QUERIES = {
    "equality": "attribute:ecs.os-type == linux",
    "regex": "attribute:ecs.instance-type =~ t2.*",
    "mixed": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and attribute:ecs.os-type == linux "
             "and not(task:group == service:svc-7)",
}


def generate(count: int, seed: int = 42) -> list[dict]:
    rng = random.Random(seed)
    names = [t for t, _ in TYPES]
    weights = [w for _, w in TYPES]
    out = []
    for n in range(count):
        instance_type = rng.choices(names, weights)[0]
        attributes = [
            {"name": "ecs.instance-type", "value": instance_type},
            {"name": "ecs.availability-zone", "value": rng.choice(ZONES)},
            {"name": "ecs.os-type", "value": "windows" if rng.random() < 0.08 else "linux"},
            {"name": "ecs.cpu-architecture", "value": "arm64" if instance_type[2] == "g" else "x86_64"},
            {"name": "stack", "value": rng.choice(["prod", "staging", "dev"])},
            {"name": "team", "value": f"team-{rng.randrange(40)}"},
            {"name": "ecs.capability.task-eni"},
            {"name": "com.amazonaws.ecs.capability.docker-remote-api.1.30"},
        ]
        out.append({
            "ec2InstanceId": f"i-{n:017x}",
            "status": "ACTIVE",
            "agentConnected": True,
            "versionInfo": {"agentVersion": rng.choice(["1.68.2", "1.70.0", "1.75.1"])},
            "runningTasksCount": rng.randrange(4),
            "attributes": attributes,
        })
    return out


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    size = 100_000
    dicts = generate(size)
    instances = [ecsq.Instance.from_dict(d) for d in dicts]
    for n, instance in enumerate(instances):
        for g in range(n % 4):
            instance.add_task_group(f"service:svc-{(n * 7 + g) % 300}")

    text = json.dumps({"containerInstances": dicts})
    print(f"fleet build from one JSON text of {size} instances (Fleet.from_json): "
          f"{best(lambda: ecsq.Fleet.from_json(text), 3) * 1e3:.0f} ms")
    print(f"fleet build from {size} dicts: {best(lambda: ecsq.Fleet(dicts), 3) * 1e3:.0f} ms")
    print(f"fleet build from {size} ecsq.Instance: {best(lambda: ecsq.Fleet(instances), 3) * 1e3:.0f} ms")
    fleet = ecsq.Fleet(instances)

    calls = 20_000
    sample_dicts = dicts[:calls]
    sample_instances = instances[:calls]
    print("query | matches(dict) µs/call | matches(Instance) µs/call | select ms | count ms | select ns/inst | "
          "count ns/inst | matched")
    for name, text in QUERIES.items():
        query = ecsq.check(text)
        per_dict = best(lambda: [query.matches(d) for d in sample_dicts]) / calls
        per_instance = best(lambda: [query.matches(i) for i in sample_instances]) / calls
        select = best(lambda: fleet.select(query))
        count = best(lambda: fleet.count(query))
        matched = fleet.count(query)
        assert matched == len(fleet.select(query)) == sum(query.matches(i) for i in instances)
        print(f"{name} | {per_dict * 1e6:.2f} | {per_instance * 1e6:.3f} | {select * 1e3:.2f} | {count * 1e3:.3f} | "
              f"{select / size * 1e9:.1f} | {count / size * 1e9:.2f} | {matched}")


if __name__ == "__main__":
    main()
