"""What is known about common datastores, brokers and platforms, for an ADR's options table.

The offline System Architect cannot score options for a team it does not know, but it can say
what each well-known option is good and bad at, so the table starts from facts rather than
blanks. Each entry answers three of the table's criteria; team skills and migration risk come
from the repository (is the option in use there today?), not from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Technology", "lookup", "options_in"]


@dataclass(frozen=True)
class Technology:
    name: str
    fit: str
    operations: str
    lock_in: str


_KNOWN = (
    Technology(
        "PostgreSQL",
        "relational, transactions, ad-hoc SQL and joins; one primary scales to terabytes, reads "
        "scale with replicas",
        "moderate: backups, upgrades, vacuum and failover (less with a managed service)",
        "low: open source, standard SQL, many managed offerings",
    ),
    Technology(
        "MySQL",
        "relational, transactions, ad-hoc SQL; reads scale with replicas",
        "moderate: backups, upgrades, replication and failover (less when managed)",
        "low: open source, standard SQL, many managed offerings",
    ),
    Technology(
        "SQLite",
        "one process on one host: no concurrent writers across hosts, no network access",
        "none: a file beside the application",
        "none: a file format read everywhere",
    ),
    Technology(
        "DynamoDB",
        "key-value and single-table designs at any scale with steady latency; access patterns "
        "fixed up front, no joins or ad-hoc queries",
        "low: fully managed, but cost grows per request and per index",
        "high: an AWS-only API and data model",
    ),
    Technology(
        "MongoDB",
        "documents with a flexible schema; joins and multi-document transactions cost more than "
        "in a relational store",
        "moderate self-hosted (replica sets, sharding); low on Atlas",
        "medium: its own query language and licence",
    ),
    Technology(
        "Kafka",
        "an ordered, replayable log of events at high throughput; not a query store: reads need "
        "a consumer that builds a view",
        "high: brokers, partitions, retention and schema management (lower with MSK or "
        "Confluent Cloud)",
        "low to medium: an open protocol, several managed offerings",
    ),
    Technology(
        "RabbitMQ",
        "work queues and routing; a message is gone once acknowledged (no replay)",
        "moderate: a cluster, queues and their limits to watch",
        "low: AMQP, open source",
    ),
    Technology(
        "Redis",
        "in-memory cache, counters and light queues with sub-millisecond reads; the data set is "
        "bounded by memory and persistence is optional",
        "low to moderate: memory sizing, eviction policy, failover",
        "low: open protocol, many managed offerings",
    ),
    Technology(
        "Elasticsearch",
        "full-text search and log analytics; not a system of record",
        "high: shard and heap sizing, cluster upgrades",
        "medium: licence change (OpenSearch is the open fork)",
    ),
    Technology(
        "ClickHouse",
        "analytical queries over billions of rows; updates and point lookups are weak",
        "moderate to high self-hosted; low on a managed service",
        "low: open source SQL dialect",
    ),
    Technology(
        "Cassandra",
        "write-heavy, multi-region wide rows; every query is designed as its own table",
        "high: compaction, repairs, capacity planning",
        "low: open source (managed: Astra, Keyspaces)",
    ),
    Technology(
        "Snowflake",
        "a managed analytical warehouse: SQL over terabytes, not for transactions",
        "low: managed, paid per compute second",
        "high: proprietary service",
    ),
    Technology(
        "BigQuery",
        "a serverless analytical warehouse: SQL over terabytes, not for transactions",
        "low: managed, paid per query or slot",
        "high: Google Cloud only",
    ),
    Technology(
        "Kubernetes",
        "many services with autoscaling, rollouts and self-healing",
        "high: cluster upgrades, networking and security policy (lower on a managed control plane)",
        "low: the same manifests run on every cloud",
    ),
    Technology(
        "ECS",
        "containers on AWS without running a cluster's control plane",
        "low to moderate: task definitions and services",
        "high: AWS only",
    ),
    Technology(
        "Lambda",
        "short, bursty, event-driven work; cold starts and a 15-minute limit per call",
        "low: no servers, paid per call",
        "high: AWS only, its event model",
    ),
)
_ALIASES = {"postgres": "PostgreSQL", "pg": "PostgreSQL", "dynamo": "DynamoDB", "mongo": "MongoDB"}
_ALIASES |= {"k8s": "Kubernetes", "aws lambda": "Lambda", "es": "Elasticsearch"}
_BY_NAME = {t.name.lower(): t for t in _KNOWN}
_NAME = r"[\w.+/-]+(?: [\w.+/-]+){0,2}"
_PATTERNS = (
    rf"between ({_NAME}) and ({_NAME})\b",
    rf"\b({_NAME}) (?:vs\.?|versus) ({_NAME})\b",
    rf"\b(?:keep|stay (?:on|with)) (?:using )?({_NAME}) or (?:move|migrate|switch|go)\b.*?\bto ({_NAME})",
    rf"\b(?:move|moving|migrate|migrating|migration|switch|switching)\b.*?\bfrom ({_NAME}) to "
    rf"({_NAME})",
    rf"\b(?:use|adopt|choose|pick|go with) ({_NAME}) or ({_NAME})\b",
)
_TRAILING = re.compile(r"(?i)\s+(?:for|in|as|on|to|with|our|the)\b.*$")


def lookup(option: str) -> Technology | None:
    """The known technology an option names ('our Postgres' -> PostgreSQL), if any."""
    words = re.findall(r"[\w.+/-]+", option.lower())
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            name = " ".join(words[i : i + size])
            name = _ALIASES.get(name, name).lower()
            if name in _BY_NAME:
                return _BY_NAME[name]
    return None


def options_in(request: str) -> list[str]:
    """The alternatives a request asks to choose between, as written.

    Example:
        >>> options_in("Should we keep Postgres or move our event store to Kafka?")
        ['Postgres', 'Kafka']
        >>> options_in("Choose between PostgreSQL and DynamoDB for the order history store")
        ['PostgreSQL', 'DynamoDB']
        >>> options_in("Plan the migration from MySQL to Aurora in Q3")
        ['MySQL', 'Aurora']
    """
    for pattern in _PATTERNS:
        match = re.search(pattern, request, re.I)
        if match:
            return [_clean(match[1]), _clean(match[2])]
    return []


def _clean(option: str) -> str:
    """The name in an option as matched: no trailing clause, no leading words before a
    capitalised name ('are weighing Kubernetes' -> 'Kubernetes', 'our own Kafka' -> 'Kafka')."""
    words = _TRAILING.sub("", option.strip()).strip(" .,;?").split()
    named = [i for i, word in enumerate(words) if word[:1].isupper()]
    if named:
        words = words[named[0] :]
    while len(words) > 1 and words[0].lower() in ("our", "the", "a", "an", "own"):
        words = words[1:]
    return " ".join(words)
