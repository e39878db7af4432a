"""Asks as routing round 41 found them read.

A terse message's run of items cut by semicolons ("drift report by supplier; camera images ->
lake w/ dedupe; GPU node pool via terraform") or steps after "then" read only its first item as
work: the items after it name work as noun phrases, with no verb to order it, and were told as
the situation. Where an item of the run asks, an item that names work the same way asks too, as
an item of a "- " list does; after a label of what holds ("Constraints: ...") the items stay what
there is. A document named alone after an arrow ("lake vs warehouse for 3 sources -> adr") asks
for it; a count before "asks:" ("Two asks: ...; and ...") labels the wanted work as "Needed:"
does; "consolidate" and "distill" open an ask as listed verbs do.

Work said by what it does went to the role whose nouns the setting shared: what each customer
might like next, a guess of how much or how many, a program asked to spot or guess, customers
about to stop ordering, a smaller model trained to copy a big one (ML); other people's own apps
and tills sending or taking things, an interface or a way for their systems to send or tell,
only able to see their own, a key of their own, logging in to see (Backend); the same record
copied twice, a batch job named by when it runs, rerun-safe, records carried into the reports, a
source that sends nothing (Data); a setup rebuilt from scratch, a way back to the old version, a
machine that dies (DevOps); a plan with dates, the order things are done in (PM); a limit on how
much it may use (Performance). Shorthand "fcst", "env" and "dups" read as the words they stand
for. Each is read as the card words it means (``team.routing.lexicon``).
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words
from team.routing.text import stems

SAID = [
    ("shows each member which walks they may enjoy next", "recommendation model"),
    ("a guess of how many pies each stall will sell on Saturday", "model predictions forecast"),
    ("predict from the till rolls how much bread we will need", "model predictions forecast"),
    ("could the computer spot which hives are failing", "can ML model predictions"),
    ("a program that can tell which letters are urgent", "can ML model predictions"),
    ("which tenants are about to stop paying", "churn prediction model"),
    ("subscribers who are starting to drift away", "churn prediction model"),
    ("a lighter model trained to copy the big one", "distill model training"),
    ("distillation of the reranker", "distill model training"),
    ("the caterers want their own tills to fetch our menu", "API endpoints integration"),
    ("orders straight from their own systems", "API endpoints integration"),
    ("the server the site calls for prices", "API endpoints integration"),
    ("an interface partner booking systems can call", "API endpoints integration"),
    ("a way for the council's software to send us the closures", "API endpoints integration"),
    ("each landlord only able to see their own flats", "permissions access control"),
    ("give every supplier its own key", "authentication API keys"),
    ("parents log in and see the term's invoices", "authentication login"),
    ("book courts and pay with one login", "authentication login"),
    ("the import keeps loading each invoice twice", "duplicates dedupe data pipeline"),
    ("the nightly stock export", "batch data pipeline load"),
    ("daily footfall rollup", "batch data pipeline load"),
    ("make the weekly rollup rerun-safe", "idempotent rerun data pipeline"),
    ("bookings carried into the finance reports each morning", "ingestion reporting warehouse"),
    ("tell us when a branch sends nothing", "data freshness checks"),
    ("a setup that can be rebuilt from scratch", "infrastructure as code"),
    ("a way back to the previous release", "rollback deployment"),
    ("ring me if the vm goes down", "alerting on-call monitoring"),
    ("a plan with milestones the school can agree", "roadmap milestones timeline"),
    ("agree the order we build things in", "prioritization priorities"),
    ("which of the three to build first", "prioritization priorities"),
    ("a cap on how much memory it can use", "performance budget"),
]


@pytest.mark.parametrize(("text", "words"), SAID)
def test_work_said_by_what_it_does_reads_as_the_card_words(text: str, words: str) -> None:
    assert words in card_words(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("estimate how many days the migration takes", "model predictions forecast"),
        ("the partner resends the same order twice", "duplicates dedupe data pipeline"),
        ("nightly backups of the booking database", "batch data pipeline load"),
        ("find the bottleneck under the daily load", "batch data pipeline load"),
        ("the way back to the old harbour road", "rollback deployment"),
        ("the server slows down under load", "alerting on-call monitoring"),
        ("which of the three options is cheaper", "prioritization priorities"),
        ("the key results for the quarter", "authentication API keys"),
    ],
)
def test_the_same_words_in_other_senses_say_nothing_new(text: str, words: str) -> None:
    assert words not in card_words(text)


def test_shorthand_stands_for_its_words() -> None:
    assert stems("weekly fcst") == stems("weekly forecast")
    assert stems("staging env") == stems("staging environment")
    assert stems("export dups rows") == stems("export duplicates rows")


def test_a_run_of_named_work_asks_item_by_item(reading: str) -> None:
    text = (
        "kiln co: glaze-crack classifier recall 0.7 on matte glazes. error report"
        " by glaze; nightly kiln-sensor load into lake w/ dedupe; spot node pool via terraform"
    )
    clauses = read_clauses(text)
    assert [str(c) for c in clauses if c.is_ask] == [
        "error report by glaze",
        "nightly kiln-sensor load into lake w/ dedupe",
        "spot node pool via terraform",
    ]
    assert explained_owners(text) == ["ml_engineer", "data_engineer", "devops_engineer"]


def test_a_step_after_then_names_work(reading: str) -> None:
    text = "quarry co: agree scope + a date first, then ingest the weighbridge feeds, then baseline fcst"
    asked = [str(c) for c in read_clauses(text) if c.is_ask]
    assert asked[-2:] == ["ingest the weighbridge feeds", "baseline fcst"]
    assert explained_owners(text)[-1] == "ml_engineer"


@pytest.mark.parametrize(
    "text",
    [
        # what holds, after its label, is no work
        "Constraints: two part-time developers; budget for one contractor. Needed: a launch plan",
        # items with verbs of their own tell
        "We have two kilns; the older one runs hot. Please profile the controller",
    ],
)
def test_a_run_of_what_there_is_stays_the_situation(text: str) -> None:
    asked = [str(c) for c in read_clauses(text) if c.kind == "ask"]
    assert asked == [asked[-1]]
    assert asked[-1].endswith(("a launch plan", "profile the controller"))


def test_a_document_after_an_arrow_asks(reading: str) -> None:
    text = "brewery: queue vs cron for the bottling reminders → adr. then build the reminder job"
    clauses = read_clauses(text)
    assert [c.is_ask for c in clauses] == [False, True, True]
    assert explained_owners(text)[0] == "system_architect"


def test_a_measure_after_an_arrow_asks_nothing() -> None:
    clauses = read_clauses("bakery site: p99 300ms → 2s since Friday. profile the menu page")
    assert [c.kind for c in clauses] == ["context", "context", "ask"]


def test_a_count_before_asks_labels_the_wanted_work(reading: str) -> None:
    text = (
        "Our choir sells concert tickets through a form that often double-books seats. Three"
        " asks: a model that predicts how many seats each concert will sell; the nightly"
        " ticket export loaded into one table without repeats; and someone to agree the"
        " season's dates with the venue."
    )
    clauses = read_clauses(text)
    assert not clauses[0].is_ask
    assert explained_owners(text) == ["ml_engineer", "data_engineer", "pm"]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("consolidate the helm values for the three clusters", "devops_engineer"),
        ("distill the defect classifier to a smaller net for the edge box", "ml_engineer"),
    ],
)
def test_consolidate_and_distill_open_an_ask(text: str, owner: str, reading: str) -> None:
    clauses = read_clauses(f"Two things from standup. {text}")
    assert [c.is_ask for c in clauses] == [False, True]
    assert explained_owners(text) == [owner]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "Forwarding the board's message; Priya needs an answer by Monday. Please add paging"
            " to the API",
            ("Forwarding the board's message", "context"),
        ),
        # the short question goes on with the note it follows, as a situation it asks about
        (
            "Message from the club treasurer below; who owns this? Please add paging to the API",
            ("Message from the club treasurer below, who owns this?", "ask"),
        ),
    ],
)
def test_a_forwarding_note_in_a_run_is_no_work(text: str, first: tuple[str, str]) -> None:
    clauses = read_clauses(text)
    assert (str(clauses[0]), clauses[0].kind) == first
    assert str(clauses[-1]) == "Please add paging to the API"
