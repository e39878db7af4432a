"""Kinds of ask that routing round 20 found going to the wrong role, told in new sentences.

Each kind recurs across the spent ask sets: a model named by what it is built to do or
retrained, duplicates removed ("dedupe"), a choice between two stores or platforms, "which
should come first", going back to the old version, updates put out while the site stays up,
copies kept elsewhere and passwords kept safe, and what a pod may use and what scales it. Each
kind has a negative: a sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

from team.routing.lexicon import card_words

OWNED = [
    ("Build a model that flags which parcels will arrive damaged.", "ml_engineer"),
    ("Retrain the pallet-weight model on this spring's scans.", "ml_engineer"),
    ("Dedupe the supplier rows before tonight's load.", "data_engineer"),
    (
        "Choose between BigQuery and staying on MySQL for the finance reports.",
        "system_architect",
    ),
    ("Should we keep the archive in Cassandra or move it to S3 with Athena?", "system_architect"),
    ("We have three fixes lined up; which should come first?", "pm"),
    ("If the new release misbehaves, go back to the old version straight away.", "devops_engineer"),
    ("Can new releases go out without the booking site going offline?", "devops_engineer"),
    ("Please have the club's laptop backed up to the cloud every night.", "devops_engineer"),
    ("Put the shop's passwords somewhere safe instead of the shared notebook.", "devops_engineer"),
    ("Set CPU requests and limits and an HPA for the quote service.", "devops_engineer"),
]


@pytest.mark.parametrize(("text", "role"), OWNED)
def test_team_route_explain_gives_the_ask_to_its_role(text: str, role: str, reading: str) -> None:
    assert explained_owners(text) == [role]


@pytest.mark.parametrize(
    ("said", "unsaid", "words"),
    [
        # a dbt or data model is a table's, not a model's training
        (
            "build a model that predicts no-shows",
            "build a dbt model for weekly cohorts",
            "model training",
        ),
        # a migration without downtime is the schema's, not a rollout's
        (
            "can updates go out without the app going down",
            "a migration that runs without downtime",
            "blue-green deployment rollout",
        ),
        # going back over a report is no rollback
        (
            "go back to the previous version if checkout breaks",
            "go back over last quarter's numbers",
            "rollback release automation",
        ),
        # "which of these matters most" after an analysis is the analyst's, not a priority
        (
            "which of the three reports should come first",
            "which first-time buyers return",
            "prioritize priorities backlog",
        ),
        # a choice spoken of as already made is no choice to weigh
        (
            "decide between Redis and Memcached for sessions",
            "we moved sessions to Redis last year",
            "technology choice architecture decision record",
        ),
    ],
)
def test_a_kind_reads_its_card_words_and_its_negative_does_not(
    said: str, unsaid: str, words: str
) -> None:
    assert reads_card_words(said, unsaid, words)


def test_a_slow_page_is_not_a_pod_limit() -> None:
    """Memory the app leaks is the Performance Engineer's; its pod's memory limit is DevOps'."""
    assert explained_owners("Profile where the checkout leaks memory under load.") == [
        "performance_engineer"
    ]
    assert "manifests resource requests limits" not in card_words(
        "Profile where the checkout leaks memory under load."
    )


def test_which_of_those_first_after_findings_is_no_priority() -> None:
    """A follow-up on what a role just found stays with that role (the scenario
    ``ml_lead_scoring_crm``); a question that lists the work to order is the PM's."""
    assert "prioritize priorities backlog" not in card_words(
        "Thanks. Which of those should we fix first?"
    )
    assert "prioritize priorities backlog" in card_words(
        "Which of the app, the kiosk and the newsletter should we build first?"
    )
