#!/usr/bin/env python3
"""Writes a generated fleet of N container instances (default 5,000, the ECS cluster limit) with a
task definition and a CreateService request for it, for the browser test of the HTML report.

The fleet has six zones and five instance types, each instance registering its type's CPU and
memory with a random part already in use, some instances DRAINING, some with the agent
disconnected, some with host port 8080 taken and a few Windows ones, so that the placement of the
service exercises several filters. Deterministic for a given N and seed.

    generate_fleet.py OUTPUT_DIR [N] [SEED]  ->  OUTPUT_DIR/{fleet,task-definition,service}.json
"""

import json
import os
import random
import sys

ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]
TYPES = [  # (type, CPU units, MiB, GPUs, weight)
    ("m5.large", 2048, 7680, 0, 30),
    ("m5.xlarge", 4096, 15616, 0, 30),
    ("c5.2xlarge", 8192, 15360, 0, 15),
    ("r5.xlarge", 4096, 31744, 0, 20),
    ("g4dn.xlarge", 4096, 15616, 1, 5),
]
RESERVED_PORTS = ["22", "2375", "2376", "51678", "51679"]


def resources(cpu, memory, ports, gpus):
    out = [
        {"name": "CPU", "type": "INTEGER", "integerValue": cpu},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": memory},
        {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ports},
        {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []},
    ]
    if gpus:
        out.append({"name": "GPU", "type": "INTEGER", "integerValue": gpus})
    return out


def instance(rng, index):
    type_name, cpu, memory, gpus, _ = rng.choices(TYPES, weights=[t[4] for t in TYPES])[0]
    zone = ZONES[index % len(ZONES)] if rng.random() < 0.7 else rng.choice(ZONES)
    used = rng.choice([0.0, 0.25, 0.5, 0.75, 0.9])
    cpu_left = int(cpu * (1 - used))
    memory_left = int(memory * (1 - rng.choice([0.0, 0.3, 0.6, 0.85, 0.95])))
    ports = RESERVED_PORTS + (["8080"] if rng.random() < 0.08 else [])
    ec2 = "i-%017x" % (0x5000000 + index * 7919)
    attributes = [
        {"name": "ecs.availability-zone", "value": zone},
        {"name": "ecs.instance-type", "value": type_name},
        {"name": "ecs.os-type", "value": "windows" if rng.random() < 0.03 else "linux"},
        {"name": "ecs.cpu-architecture", "value": "x86_64"},
        {"name": "ecs.ami-id", "value": rng.choice(["ami-0a1b2c3d4e5f60718", "ami-0f9e8d7c6b5a40312"])},
        {"name": "stack", "value": rng.choice(["prod", "prod", "prod", "staging"])},
        {"name": "ecs.capability.task-eni"},
        {"name": "com.amazonaws.ecs.capability.docker-remote-api.1.40"},
    ]
    return {
        "containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/large/%032x" % (index + 1),
        "ec2InstanceId": ec2,
        "status": "DRAINING" if rng.random() < 0.02 else "ACTIVE",
        "agentConnected": rng.random() >= 0.01,
        "versionInfo": {"agentVersion": "1.82.0"},
        "runningTasksCount": int(used * 8),
        "pendingTasksCount": 0,
        "attributes": attributes,
        "registeredResources": resources(cpu, memory, RESERVED_PORTS, gpus),
        "remainingResources": resources(cpu_left, memory_left, ports, gpus),
    }


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    fleet = {"containerInstances": [instance(rng, i) for i in range(count)], "failures": []}
    task_definition = {
        "family": "checkout",
        "networkMode": "bridge",
        "containerDefinitions": [{
            "name": "checkout", "image": "checkout:1", "cpu": 1024, "memoryReservation": 4096,
            "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        }],
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux and attribute:stack == prod"}],
    }
    service = {"cluster": "large", "serviceName": "checkout", "taskDefinition": "checkout",
               "desiredCount": max(1, count * 3 // 10), "schedulingStrategy": "REPLICA"}
    for name, document in (("fleet", fleet), ("task-definition", task_definition), ("service", service)):
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(document, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
