"""Asks as routing round 47 found them read.

A model named by what it estimates, something that finds the closest ones to a description, a
model or computer that reads or recognises things in photos, a number flagged when it looks
unusual, a website that learns from what people did before (ML). A service another program
calls, an interface others read from, booking from their own websites with an answer straight
back, a safe way to pull our data, data fetched only for their own part, what it hands out
changing shape (Backend). Changes tested automatically before they go out, limits fixed, a
warning before it falls over (DevOps). A check that it stays fast (Performance). Only the new
and changed records added, a reload from scratch, records that flow over by themselves on a
schedule, history brought across without losing anything, a copy with the names removed
(Data). A choice between a fix and something new, "prioritize vs ...", whether a feature is
worth building (PM). How all of it should fit together (System Architect). Each is read as the
card words it means (``team.routing.lexicon``), and a text that uses the same words in another
sense is not. Clause readings: a second question with its own subject after ", and", an item
cut by commas from a shorthand sentence, work named before a "first" step, a want with its
subject left out, and an item said to be out of scope.
"""

from __future__ import annotations

from helpers import explained_owners, misreadings

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words

SAID: dict[str, tuple[str, ...]] = {
    "propensity prediction model": (
        "a no-show-likelihood model for each clinic",
        "a probability model per route",
    ),
    "embeddings ranking model": (
        "it should find the most similar ones to the sketch a customer sends",
    ),
    "vision classification model": (
        "something that spots cracks in the photos of each tile",
        "a program to recognise the bird species from our 5,000 tagged pictures",
    ),
    "classifier anomaly detection": ("flag the days where the till total looks unusual",),
    "recommendation model training": (
        "the shop could learn from what gardeners ordered last spring",
    ),
    "API endpoints integration": (
        "an endpoint their booking app can call",
        "one stock interface that every branch reads from",
        "let hotels reserve a table straight from their own websites",
        "get an answer straight back",
        "a secure way for partners to fetch the data",
    ),
    "permissions access control": ("each depot can see the rota, only for their own staff",),
    "CI/CD deploy pipeline": ("every update checked automatically before it goes live",),
    "manifests resource requests limits": (
        "fixing its memory limits",
        "fix the container limits",
    ),
    "alerting monitoring on-call": ("an alert a few minutes before the server goes down",),
    "incremental load data pipeline": (
        "could the job only copy the new or updated invoices",
        "the import reloads all the customers from scratch every night",
    ),
    "batch data pipeline load": (
        "the sales should flow across automatically into the ledger every morning",
    ),
    "data migration reconcile row counts": (
        "the customer records have to be moved over without losing any",
    ),
    "PII masked": ("a copy of the survey answers with the email addresses stripped",),
    "prioritization priorities": (
        "choose between the fix or a new checkout",
        "prioritise vs the mobile work",
    ),
    "business case prioritization": ("whether a loyalty app would be worth developing",),
    "architecture diagram components": (
        "a sketch of how all of it would fit together",
        "show how they should fit together",
    ),
    "API versioned versioning backward compatibility": (
        "the site keeps changing the format of the files it sends",
    ),
    "load test response time": ("make sure the checkout stays quick during the sale",),
}

# The same words in other senses: none of these says the card words.
UNSAID: dict[str, tuple[str, ...]] = {
    "propensity prediction model": ("the likelihood of rain at the model railway show",),
    "embeddings ranking model": ("find the closest shop to the station",),
    "vision classification model": (
        "the guide reads the captions in the photos aloud",
        "a tool that picks out the files in the photos folder",
    ),
    "classifier anomaly detection": (
        "the weather looks unusual this week",
        "we flag the boxes that are heavy",
    ),
    "recommendation model training": ("new staff learn from what the manager shows them",),
    "API endpoints integration": (
        "the nurses can call the ward at night",
        "the poem I read from the book",
        "customers buy flour from their own mills",
        "she wants her money straight back",
        "a safe way to pull the boat ashore",
    ),
    "permissions access control": ("they cook only for their own family",),
    "CI/CD deploy pipeline": ("the boilers are checked automatically each spring",),
    "manifests resource requests limits": ("fix the speed limits on the lane",),
    "alerting monitoring on-call": ("a warm welcome before the show begins",),
    "incremental load data pipeline": ("we add the new and changed rules to the handbook",),
    "batch data pipeline load": ("the river flows into the sea each day",),
    "data migration reconcile row counts": ("the ferry came across without losing a single car",),
    "PII masked": ("we removed the names from the old shop sign",),
    "prioritization priorities": ("decide whether to fix the fence",),
    "business case prioritization": ("the old chair is worth repairing",),
    "architecture diagram components": ("how the puzzle fits in the box",),
    "API versioned versioning backward compatibility": ("we changed the layout of the shop floor",),
    "load test response time": ("check the soup stays warm",),
}


# Whole requests, in plain words or shorthand: each ask named goes to its owner, in order.
OWNERS: dict[str, list[str]] = {
    "We print wedding invitations. Could every update be tested automatically before it goes"
    " live, and could the shop stop changing the format of the files it sends to our printer?": [
        "devops_engineer",
        "backend_architect",
    ],
    "rowing club: want a no-show-likelihood model per regatta": ["ml_engineer"],
    "We run a small chain of launderettes. The report copy reloads every wash since 2015 from"
    " scratch each night; could it just add the new and changed washes instead?": ["data_engineer"],
}


def test_each_text_is_read_by_what_it_means() -> None:
    assert misreadings(SAID, UNSAID) == []


def test_a_warning_before_it_falls_over_is_an_alert_not_a_breaking_point() -> None:
    assert "load test breaking point" not in card_words("a warning before it falls over")
    # ... but finding where it falls over is a breaking point
    assert "load test breaking point" in card_words("find out when it falls over")


def test_each_ask_goes_to_its_owner(reading: str) -> None:
    assert {text: explained_owners(text) for text in OWNERS} == OWNERS


def _read(text: str) -> list[tuple[str, str]]:
    return [(str(c), c.kind) for c in read_clauses(text)]


def test_a_second_question_with_its_own_subject_is_its_own_ask() -> None:
    read = _read(
        "Could the invoices be checked automatically, and could the website stop changing the"
        " order of the columns it exports?"
    )
    assert read == [
        ("Could the invoices be checked automatically", "ask"),
        ("could the website stop changing the order of the columns it exports?", "ask"),
    ]
    # ... but a question that goes on about the same thing ("and can it ...") stays one
    assert len(read_clauses("Can you check the logs, and can it be fixed?")) == 1


def test_a_shorthand_item_cut_by_commas_is_one_more_ask() -> None:
    read = _read("tile importer: search api for the showroom stock, dockerize the svc")
    assert ("search api for the showroom stock", "ask") in read
    # ... but figures say what there is, and a sentence with a verb tells the situation
    assert ("4 shops, 3 devs", "context") in _read(
        "tile importer: 4 shops, 3 devs, dockerize the svc"
    )
    told = _read("tile importer: showroom stock is old, dockerize the svc")
    assert ("showroom stock is old", "context") in told
    assert ("before the sale", "ask") not in _read(
        "tile importer: before the sale, dockerize the svc"
    )
    assert ("Showroom relaunch", "ask") not in _read("Showroom relaunch, dockerize the svc")


def test_work_named_before_a_first_step_still_asks() -> None:
    read = _read("glaze co: REST api for kiln readings. first decide if kilns post to a queue")
    assert ("REST api for kiln readings", "ask") in read
    assert ("glaze co", "context") in read
    # ... but a situation told before it does not
    told = _read("glaze co: the kilns are old. first decide if kilns post to a queue")
    assert ("the kilns are old", "ask") not in told
    # ... nor a heading that opens the message ("Kiln readings. First, ...")
    heading = _read("Kiln readings dispatch. First, can you check the feed")
    assert ("Kiln readings dispatch", "context") in heading


def test_an_item_out_of_scope_names_no_work() -> None:
    read = _read("pond farm: tune the pump alerts; herb beds out of scope")
    assert read[-1] == ("herb beds out of scope", "context")
    # ... while work named in the same run asks
    assert ("pump feed dashboards", "ask") in _read(
        "pond farm: tune the pump alerts; pump feed dashboards"
    )


def test_a_want_with_its_subject_left_out_asks() -> None:
    assert _read("rowing club: want a no-show model per regatta")[-1] == (
        "want a no-show model per regatta",
        "ask",
    )
    # ... but what someone else wants is the situation
    assert _read("The trustees want a new logo")[-1][1] != "ask"
