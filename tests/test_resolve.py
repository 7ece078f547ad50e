"""Star references resolve to one canonical name, or to nothing (reported, never guessed)."""

from __future__ import annotations

import pytest

from cgplan.load.stars import StarIndex
from cgplan.model.construction import Source, Star

CATALOG = [
    "MongoDB Atlas Cluster",
    "Google Kubernetes Engine",
    "Amazon SQS Order Queue",
    "Redis Cache (ElastiCache)",
    "API Gateway (Express)",
    "Stripe API",
    "Postgres Primary",
    "Postgres Replica",
    "Cache <primary> & Co",
    "Orders/Returns API (v2)",
]


@pytest.fixture(scope="module")
def index() -> StarIndex:
    stars = [Star(name=n, source=Source("m.md", i + 1)) for i, n in enumerate(CATALOG)]
    stars[1].aliases = ["k8s"]
    return StarIndex(stars)


RESOLVES = [
    ("MongoDB Atlas Cluster", "MongoDB Atlas Cluster"),
    ("mongodb atlas cluster", "MongoDB Atlas Cluster"),
    ("`MongoDB Atlas Cluster`", "MongoDB Atlas Cluster"),
    ("Mongo", "MongoDB Atlas Cluster"),
    ("Atlas Cluster", "MongoDB Atlas Cluster"),
    ("GKE", "Google Kubernetes Engine"),
    ("k8s", "Google Kubernetes Engine"),
    ("SQS", "Amazon SQS Order Queue"),
    ("Redis Cache", "Redis Cache (ElastiCache)"),
    ("ElastiCache", "Redis Cache (ElastiCache)"),
    ("Redis", "Redis Cache (ElastiCache)"),
    ("Express", "API Gateway (Express)"),
    ("API Gateway", "API Gateway (Express)"),
    ("Star: Stripe API", "Stripe API"),
    ("the Stripe API star", "Stripe API"),
    ("Cache <primary> & Co", "Cache <primary> & Co"),
    ("Orders/Returns API", "Orders/Returns API (v2)"),
    ("Postgres Replica", "Postgres Replica"),
]

UNRESOLVED = [
    ("Kafka Event Bus", []),
    ("Postgres", ["Postgres Primary", "Postgres Replica"]),
    ("", []),
    ("Cassandra", []),
]


@pytest.mark.parametrize("text,expected", RESOLVES)
def test_resolves(index, text, expected):
    assert index.resolve(text).star == expected


@pytest.mark.parametrize("text,candidates", UNRESOLVED)
def test_does_not_guess(index, text, candidates):
    res = index.resolve(text)
    assert res.star is None
    assert res.candidates == candidates
