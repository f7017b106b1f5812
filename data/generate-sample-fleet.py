#!/usr/bin/env python3
"""Writes data/sample-fleet.json: a made-up but realistic ECS cluster for trying ecsq.

The output has the shape `aws ecs describe-container-instances` and `aws ecs describe-tasks` print
(AWS CLI v1 style: registeredAt as epoch seconds with a fraction). It is built so that every
expression in tests/data/aws-documented.txt selects some instances but not all of them.

For `ecsq place`, each instance registers the CPU, memory, reserved ports and GPUs of its type,
each task holds the CPU and memory of its group's task definition (and the daemon its host
ports), and remainingResources is registered minus the tasks whose desiredStatus is RUNNING, as
AWS reports it. These were added after the instances, ids and groups were fixed: they draw from
a random stream of their own, so the rest of the file stays as it was.
Deterministic: run `python3 data/generate-sample-fleet.py > data/sample-fleet.json`.
"""

import json
import random
import sys
from datetime import datetime, timezone

ACCOUNT = "123456789012"
REGION = "us-east-1"
CLUSTER = "sample"
AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
SUBNETS = {az: "subnet-0%s%02d" % ("5e1a7c3b9d2f04", i) for i, az in enumerate(AZS)}
VPC = "vpc-0b7c4e2a91d3f5608"

# (agent version, registration year range, docker version): old agents registered early.
AGENTS = [
    ("1.9.0", (2017, 2017), "1.12.6"),
    ("1.14.5", (2017, 2018), "17.03.2-ce"),
    ("1.17.3", (2018, 2018), "17.12.1-ce"),
    ("1.29.0", (2019, 2019), "18.06.1-ce"),
    ("1.37.0", (2020, 2020), "19.03.6-ce"),
    ("1.48.1", (2021, 2021), "19.03.13-ce"),
    ("1.57.1", (2021, 2022), "20.10.7"),
    ("1.61.3", (2022, 2022), "20.10.13"),
    ("1.68.2", (2022, 2023), "20.10.17"),
    ("1.75.0", (2023, 2023), "20.10.23"),
    ("1.79.1", (2023, 2024), "20.10.25"),
    ("1.82.0", (2024, 2025), "25.0.3"),
]

CAPABILITIES_BASE = [
    "com.amazonaws.ecs.capability.docker-remote-api.1.17",
    "com.amazonaws.ecs.capability.docker-remote-api.1.18",
    "com.amazonaws.ecs.capability.docker-remote-api.1.19",
    "com.amazonaws.ecs.capability.ecr-auth",
    "com.amazonaws.ecs.capability.logging-driver.awslogs",
    "com.amazonaws.ecs.capability.logging-driver.json-file",
]
CAPABILITIES_MODERN = [
    "com.amazonaws.ecs.capability.docker-remote-api.1.21",
    "com.amazonaws.ecs.capability.docker-remote-api.1.40",
    "com.amazonaws.ecs.capability.task-iam-role",
    "ecs.capability.container-health-check",
    "ecs.capability.execution-role-awslogs",
    "ecs.capability.execution-role-ecr-pull",
    "ecs.capability.secrets.asm.environment-variables",
    "ecs.capability.task-eni",
]
CAPABILITIES_LINUX = [
    "com.amazonaws.ecs.capability.privileged-container",
    "com.amazonaws.ecs.capability.logging-driver.syslog",
    "ecs.capability.efsAuth",
]

TEAMS = ["payments", "search", "ml", "platform", "web"]

# Per instance type: vCPUs, GiB of memory, GPUs.
TYPES = {
    "t2.small": (1, 2, 0), "t2.medium": (2, 4, 0), "t2.large": (2, 8, 0),
    "t3.medium": (2, 4, 0), "t3.large": (2, 8, 0), "t3a.large": (2, 8, 0),
    "m5.large": (2, 8, 0), "m5.xlarge": (4, 16, 0), "c5.large": (2, 4, 0), "c5.xlarge": (4, 8, 0),
    "c5.2xlarge": (8, 16, 0), "r5.large": (2, 16, 0), "r5.xlarge": (4, 32, 0), "r5.2xlarge": (8, 64, 0),
    "r5.4xlarge": (16, 128, 0), "c6g.large": (2, 4, 0), "c6g.xlarge": (4, 8, 0), "c6g.2xlarge": (8, 16, 0),
    "m6g.large": (2, 8, 0), "m6g.2xlarge": (8, 32, 0), "t4g.medium": (2, 4, 0), "t4g.large": (2, 8, 0),
    "g2.2xlarge": (8, 15, 1), "g2.8xlarge": (32, 60, 4), "g4dn.xlarge": (4, 16, 1), "g4dn.2xlarge": (8, 32, 1),
    "p3.2xlarge": (8, 61, 1), "p3.8xlarge": (32, 244, 4),
}

# What one task of each group reserves: CPU units, MiB, and host ports (protocol, port).
TASK_SIZES = {
    "service:production": (128, 256, []),
    "family:web": (64, 128, []),
    "service:search-api": (128, 256, []),
    "family:batch-report": (128, 384, []),
    "service:daemon-service": (64, 128, [("tcp", 8126), ("udp", 8125)]),
    "databases": (1024, 4096, []),
    "database": (1024, 4096, []),
    "family:training": (2048, 4096, []),
    "family:iis-site": (256, 1024, []),
}

# The agent's reserved ports (registeredResources PORTS): Linux defaults, and Windows' own.
RESERVED_LINUX = [22, 2375, 2376, 51678, 51679]
RESERVED_WINDOWS = [53, 135, 139, 445, 2375, 2376, 3389, 5985, 51678, 51679]


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


class Fleet:
    def __init__(self):
        self.random = random.Random(20240301)
        self.extra = random.Random(20261130)  # for what placement added, so the rest stays the same
        self.instances = []
        self.tasks = []

    def hex(self, n):
        return "".join(self.random.choice("0123456789abcdef") for _ in range(n))

    def extra_hex(self, n):
        return "".join(self.extra.choice("0123456789abcdef") for _ in range(n))

    def epoch(self, years):
        start = datetime(years[0], 1, 1, tzinfo=timezone.utc).timestamp()
        end = datetime(years[1], 12, 31, 23, 59, tzinfo=timezone.utc).timestamp()
        return round(self.random.uniform(start, end) + self.random.random(), 3)

    def add(self, instance_type, os_family, az, agent, stack, *, instance_id=None, connected=True,
            status="ACTIVE", groups=(), stopped=(), registered=None, disk=None, team=None):
        """One container instance; `groups` are the groups of its RUNNING tasks."""
        version, years, docker = agent
        windows = os_family.startswith("WINDOWS")
        arm = instance_type.split(".")[0] in ("c6g", "m6g", "t4g", "r6g")
        instance_id = instance_id or "i-0" + self.hex(16)
        arn = "arn:aws:ecs:%s:%s:container-instance/%s/%s" % (REGION, ACCOUNT, CLUSTER, self.hex(32))
        modern = version_tuple(version) >= (1, 17)
        attributes = [{"name": name} for name in CAPABILITIES_BASE]
        if modern:
            attributes += [{"name": name} for name in CAPABILITIES_MODERN]
        if not windows:
            attributes += [{"name": name} for name in CAPABILITIES_LINUX]
        attributes += [
            {"name": "ecs.ami-id", "value": "ami-0" + self.hex(16)},
            {"name": "ecs.availability-zone", "value": az},
            {"name": "ecs.instance-type", "value": instance_type},
            {"name": "ecs.os-type", "value": "windows" if windows else "linux"},
            {"name": "ecs.subnet-id", "value": SUBNETS[az]},
            {"name": "ecs.vpc-id", "value": VPC},
        ]
        # Agents older than these releases did not report the attribute at all.
        if version_tuple(version) >= (1, 37):
            attributes.append({"name": "ecs.cpu-architecture", "value": "arm64" if arm else "x86_64"})
        if version_tuple(version) >= (1, 48):
            attributes.append({"name": "ecs.os-family", "value": os_family})
        attributes.append({"name": "stack", "value": stack})
        attributes.append({"name": "team", "value": team or self.random.choice(TEAMS)})
        attributes.append({"name": "priority", "value": str(self.random.randint(1, 10))})
        if disk:
            attributes.append({"name": "disk", "value": disk})

        running = list(groups)
        pending = []
        if running and self.random.random() < 0.15:
            pending.append(running.pop())
        for group in running:
            self.task(arn, group, "RUNNING", "RUNNING")
        for group in pending:
            self.task(arn, group, "RUNNING", "PENDING")
        for group in stopped:
            self.task(arn, group, "STOPPED", "STOPPED")

        vcpus, gib, gpus = TYPES[instance_type]
        cpu = vcpus * 1024
        memory = gib * 1024 * 31 // 32 - 64  # the kernel and the agent keep some
        held = running + pending  # desiredStatus RUNNING, PENDING or not
        cpu_left = cpu - sum(TASK_SIZES[g][0] for g in held)
        memory_left = memory - sum(TASK_SIZES[g][1] for g in held)
        assert cpu_left >= 0 and memory_left >= 0, (instance_type, held)
        reserved = RESERVED_WINDOWS if windows else RESERVED_LINUX
        tcp = sorted(set(reserved) | {p for g in held for proto, p in TASK_SIZES[g][2] if proto == "tcp"})
        udp = sorted({p for g in held for proto, p in TASK_SIZES[g][2] if proto == "udp"})
        gpu_ids = ["GPU-%s" % self.extra_hex(8) for _ in range(gpus)]

        def amounts(cpu_units, mib, tcp_ports, udp_ports):
            listed = [
                {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": cpu_units},
                {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": mib},
                {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
                 "stringSetValue": [str(p) for p in tcp_ports]},
                {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
                 "stringSetValue": [str(p) for p in udp_ports]},
            ]
            if gpu_ids:
                listed.append({"name": "GPU", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0,
                               "integerValue": 0, "stringSetValue": gpu_ids})
            return listed

        self.instances.append({
            "containerInstanceArn": arn,
            "ec2InstanceId": instance_id,
            "version": self.random.randint(3, 400),
            "versionInfo": {
                "agentVersion": version,
                "agentHash": self.hex(8),
                "dockerVersion": "DockerVersion: " + docker,
            },
            "remainingResources": amounts(cpu_left, memory_left, tcp, udp),
            "registeredResources": amounts(cpu, memory, reserved, []),
            "status": status,
            "agentConnected": connected,
            "runningTasksCount": len(running),
            "pendingTasksCount": len(pending),
            "attributes": attributes,
            "registeredAt": registered if registered is not None else self.epoch(years),
            "attachments": [],
            "tags": [],
        })

    def task(self, instance_arn, group, desired, last):
        family = group.split(":", 1)[1] if ":" in group else group
        task = {
            "taskArn": "arn:aws:ecs:%s:%s:task/%s/%s" % (REGION, ACCOUNT, CLUSTER, self.hex(32)),
            "clusterArn": "arn:aws:ecs:%s:%s:cluster/%s" % (REGION, ACCOUNT, CLUSTER),
            "containerInstanceArn": instance_arn,
            "taskDefinitionArn": "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (
                REGION, ACCOUNT, family, self.random.randint(1, 40)),
            "group": group,
            "desiredStatus": desired,
            "lastStatus": last,
            "launchType": "EC2",
        }
        cpu, memory, ports = TASK_SIZES[group]
        task["cpu"] = str(cpu)
        task["memory"] = str(memory)
        if ports and desired == "RUNNING" and last == "RUNNING":  # the one group with static host ports
            task["containers"] = [{
                "name": family.split("-")[0],
                "lastStatus": last,
                "networkBindings": [{"bindIP": "0.0.0.0", "containerPort": port, "hostPort": port, "protocol": proto}
                                    for proto, port in ports],
            }]
        if desired == "STOPPED":
            task["stoppedReason"] = "Scaling activity initiated by (deployment ecs-svc/%s)" % self.hex(19)
        self.tasks.append(task)

    def fargate_task(self, group):
        """Fargate tasks have no container instance; describe-tasks still lists them."""
        self.tasks.append({
            "taskArn": "arn:aws:ecs:%s:%s:task/%s/%s" % (REGION, ACCOUNT, CLUSTER, self.hex(32)),
            "clusterArn": "arn:aws:ecs:%s:%s:cluster/%s" % (REGION, ACCOUNT, CLUSTER),
            "group": group,
            "desiredStatus": "RUNNING",
            "lastStatus": "RUNNING",
            "launchType": "FARGATE",
            "cpu": "256",
            "memory": "512",
            "attachments": [{"id": self.extra_hex(8) + "-" + self.extra_hex(4), "type": "ElasticNetworkInterface",
                             "status": "ATTACHED"}],
        })


def agent(version):
    return next(a for a in AGENTS if a[0] == version)


def build():
    fleet = Fleet()
    r = fleet.random
    app_groups = ["service:production", "family:web", "service:search-api", "family:batch-report"]

    # Linux x86_64 general purpose: the bulk of the cluster, every agent generation.
    types = ["t2.small", "t2.medium", "t2.large", "t3.medium", "t3.large", "t3a.large", "m5.large",
             "m5.xlarge", "c5.large", "c5.2xlarge", "r5.large", "r5.xlarge"]
    for i in range(34):
        instance_type = types[i % len(types)]
        version = AGENTS[i % len(AGENTS)]
        stack = ["prod", "prod", "staging", "dev"][i % 4]
        count = r.randint(0, 11) if i % 5 else 1
        groups = [r.choice(app_groups) for _ in range(count)]
        if version_tuple(version[0]) >= (1, 17) and i % 3 != 2:
            groups.append("service:daemon-service")
        fleet.add(instance_type, "LINUX", AZS[i % 4], version, stack, groups=groups,
                  stopped=["family:web"] if i % 7 == 0 else [],
                  disk=["ssd", "hdd", None][i % 3])

    # The two ids of the documentation's `ec2InstanceId in [...]` example.
    fleet.add("t2.small", "LINUX", "us-east-1a", agent("1.14.5"), "prod", instance_id="i-abcd1234",
              groups=["service:production"], registered=1517356800.412, disk="ssd", team="web")
    fleet.add("t2.medium", "LINUX", "us-east-1b", agent("1.68.2"), "staging", instance_id="i-wxyx7890",
              groups=["family:web", "family:web", "service:daemon-service"], disk="hdd", team="web")

    # Databases on memory-optimised instances with local SSDs.
    for i, group in enumerate(["databases", "databases", "database", "databases", "database", "database"]):
        groups = [group] * r.randint(1, 3) + ["service:daemon-service"]
        fleet.add(["r5.2xlarge", "r5.4xlarge"][i % 2], "LINUX", AZS[i % 3], AGENTS[6 + i % 6], "prod",
                  groups=groups, stopped=[group] if i == 2 else [], disk="ssd", team="platform")

    # Graviton (arm64): new agents only.
    for i, instance_type in enumerate(["c6g.large", "c6g.xlarge", "m6g.large", "m6g.2xlarge", "t4g.medium",
                                       "c6g.2xlarge", "t4g.large"]):
        groups = [r.choice(app_groups) for _ in range(r.randint(0, 11))]
        fleet.add(instance_type, "LINUX", AZS[(i + 1) % 4], AGENTS[8 + i % 4], ["prod", "staging", "dev"][i % 3],
                  groups=groups + ["service:daemon-service"], disk="ssd" if i % 2 else None)

    # GPU instances, including the g2 family the documentation's examples use.
    for i, instance_type in enumerate(["g2.2xlarge", "g2.2xlarge", "g2.8xlarge", "g4dn.xlarge", "g4dn.2xlarge",
                                       "p3.2xlarge", "p3.8xlarge"]):
        version = AGENTS[1 + i] if instance_type.startswith("g2") else AGENTS[7 + i % 5]
        fleet.add(instance_type, "LINUX", AZS[i % 4], version, ["prod", "dev"][i % 2], team="ml",
                  groups=["family:training"] * r.randint(0, 2), disk="ssd")

    # Windows: several OS families, no daemon service, x86_64 only.
    windows = ["WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE",
               "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2016_FULL",
               "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2019_FULL"]
    for i, family in enumerate(windows):
        fleet.add(["m5.large", "c5.xlarge", "t3.large", "r5.large"][i % 4], family, AZS[(i + 2) % 4],
                  AGENTS[7 + i % 5], ["prod", "staging"][i % 2], team="web",
                  groups=["family:iis-site"] * r.randint(0, 4) + (["service:production"] if i % 3 == 0 else []))

    # Trouble: disconnected agents and a draining instance.
    fleet.instances[3]["agentConnected"] = False
    fleet.instances[17]["agentConnected"] = False
    fleet.instances[-2]["agentConnected"] = False
    fleet.instances[9]["status"] = "DRAINING"

    for group in ["service:production", "family:batch-report"]:
        fleet.fargate_task(group)
    fleet.random.shuffle(fleet.tasks)
    return fleet


def dump(value, indent=0):
    """JSON like the AWS CLI prints it, except that flat objects (attributes, resources) take one line."""
    pad = "    " * indent
    inner = "    " * (indent + 1)

    def flat(v):  # a scalar, an empty container, or a list of scalars
        if isinstance(v, list):
            return all(not isinstance(x, (dict, list)) for x in v)
        return not isinstance(v, dict) or not v

    if isinstance(value, dict):
        if all(flat(v) for v in value.values()) and indent > 1:
            return "{" + ", ".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in value.items()) + "}"
        if not value:
            return "{}"
        items = ",\n".join("%s%s: %s" % (inner, json.dumps(k), dump(v, indent + 1)) for k, v in value.items())
        return "{\n" + items + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = ",\n".join(inner + dump(v, indent + 1) for v in value)
        return "[\n" + items + "\n" + pad + "]"
    return json.dumps(value)


def main():
    fleet = build()
    sys.stdout.write(dump({"containerInstances": fleet.instances, "tasks": fleet.tasks, "failures": []}) + "\n")


if __name__ == "__main__":
    main()
