"""Asks as routing round 48 found them read.

Something that reads texts and tells whether people are happy or annoyed, something that finds the
pictures closest to a description, a guess of which customers are about to cancel, a program that
looks at measurements and suggests a class (ML). Other organisations' programs sending to us or
using our interface, booking through a real interface rather than pretending to be a person, a form
passing what it took to our system, our dates pulled into their listings, a notice the moment
something sells, notices pushed out with retries, lists shown a month at a time, an interface
retried safely, a REST contract, two people paying for the same thing at once, signing people in
with their own account (Backend). Records gathered or combined in one place, shorthand arrows into
a store, a table's grain, records that appear twice or with no date, records with no record they
belong to, totals worked out overnight, a fill of older seasons matched to published totals,
numbers ready by morning (Data). A server that needs more memory, a screen that pages someone when
it goes down, copies checked by restoring them, the hosting rebuilt as code, updates that go back
by themselves or reach a few users first (DevOps). A part carved or split out of the old
application, drawing on our servers or in the browser, how it all works untangled into a simpler
shape, a ready-made tool rather than building one (System Architect). A plan of what gets done
first and by when, which numbers or which of these matter most, whether one thing comes before the
new one, what something must do agreed or written up (PM). Where it is losing time, what gives way
first, how many people it holds before it fails, a slowdown traced to the code (Performance). Each
is read as the card words it means (``team.routing.lexicon``), and a text that uses the same words
in another sense is not.
"""

from __future__ import annotations

from helpers import explained_owners, misreadings

SAID: dict[str, tuple[str, ...]] = {
    "sentiment classification model": (
        "a tool that goes through the comments and tells us whether customers are pleased",
    ),
    "embeddings ranking model": ("an app that finds the most similar songs to a hummed tune",),
    "churn prediction model": ("a forecast of which members are likely to lapse",),
    "ML model predictions classifier": (
        "a program that reads the sensor traces and guesses the fault",
    ),
    "API endpoints integration": (
        "the florists want to post their orders straight from their own software",
        "a booking interface the hotels' systems can use",
        "the app can ask our server for the menu",
        "let the club reserve courts rather than posing as a customer",
        "the survey form to send the answers to our crm automatically",
        "fetch our fixtures onto their websites automatically",
        "the surgery system to be able to book a visit directly",
    ),
    "webhook integration API": ("notify us immediately when a ticket is sold",),
    "idempotency retries webhook": (
        "price notices sent out to every shop system",
        "with retries if the till does not respond",
    ),
    "pagination paginated": ("the screen shows the invoices a week at a time",),
    "idempotency retries": ("a payment call the kiosks can retry safely",),
    "API contract endpoints": ("a graphql contract for the stock lookups",),
    "transaction handling": ("two customers booked the same seat because they clicked together",),
    "SSO login OAuth": ("sign staff in with their school account",),
    "batch data pipeline load": (
        "collect the rota, the timesheets and the invoices into one clean table",
        "the three ledgers combined automatically",
        "the monthly sums should be calculated overnight",
    ),
    "data pipeline ingestion": ("meter reads -> s3 -> snowflake",),
    "grain fact table": ("sales mart, grain = one receipt line",),
    "data quality referential integrity": ("flag any payments with no matching invoice",),
    "duplicates data quality": ("some invoices show up twice or with no amount",),
    "backfill historical load": ("a back-fill of the earlier years from the paper ledgers",),
    "data migration reconcile row counts": (
        "matched against the totals the auditors already reported",
    ),
    "freshness nightly job": ("so the figures are ready by morning",),
    "hosting provisioning infrastructure": ("the database probably needs more ram",),
    "alerting on-call paging": ("a monitor that pages whoever is on call when the shop stops",),
    "backups disaster recovery": ("the weekly backups tested by restoring them",),
    "infrastructure as code": ("the servers written as code",),
    "rollback release automation": ("a safe way back if the release breaks",),
    "canary gradual rollout": ("new versions reach 5% of users first",),
    "service boundaries split the monolith": (
        "carve billing out of the legacy system",
        "splitting payments out",
    ),
    "architecture on-device or server trade-offs": (
        "render the maps on the server or on the phone",
        "draw the charts in the browser rather than on our servers",
    ),
    "architecture diagram components": ("untangle how the services fit",),
    "build versus buy vendor choice": ("whether a ready-made booking tool will do",),
    "roadmap milestones timeline": ("a plan of what will get done first",),
    "success criteria measure success": ("decide which figures count most",),
    "prioritization priorities": (
        "which of them matters most before the summer",
        "whether the repair comes before the new shop",
    ),
    "requirements acceptance criteria": ("write up what the new portal must cover",),
    "profiling latency": (
        "where the checkout is wasting time",
        "the lag traced to the function that builds the basket",
    ),
    "load test breaking point": ("see what gives way first under the sale",),
    "load test capacity": ("how many shoppers the site copes with before it slows",),
}

# The same words in other senses: none of these says the card words.
UNSAID: dict[str, tuple[str, ...]] = {
    "sentiment classification model": ("she reads the letter and tells me the news",),
    "embeddings ranking model": ("find the closest pictures frames in the shop",),
    "churn prediction model": ("which members are about to arrive",),
    "ML model predictions classifier": ("the vet looks at the dog and suggests a walk",),
    "API endpoints integration": (
        "post the letters straight from the office",
        "a meeting room the teams can use",
        "ask the manager for a day off",
        "pretending to be a pirate at the party",
        "bring our chairs onto their stage",
    ),
    "webhook integration API": ("tell us straight away when the guests arrive",),
    "idempotency retries webhook": ("the parcels sent out to each branch",),
    "pagination paginated": ("we teach one class at a time",),
    "idempotency retries": ("the children crossed the road safely",),
    "API contract endpoints": ("a rental contract for the hall",),
    "transaction handling": ("two friends bought the same dress",),
    "SSO login OAuth": ("sign the letter in the guest book",),
    "batch data pipeline load": (
        "we keep the keys in one place",
        "gather the server logs in one place",
        "the totals were high last year",
    ),
    "data pipeline ingestion": ("pressure -> valve opens",),
    "grain fact table": ("the wood grain runs along the board",),
    "data quality referential integrity": ("find a room with no window",),
    "duplicates data quality": ("the bus comes twice an hour",),
    "backfill historical load": ("a fill of petrol for the van",),
    "data migration reconcile row counts": ("the curtains matched the carpet",),
    "freshness nightly job": ("breakfast is ready in the morning",),
    "hosting provisioning infrastructure": ("the team needs more memory games",),
    "alerting on-call paging": ("the book pages turn in the wind",),
    "backups disaster recovery": ("copies of the painting restored by hand",),
    "infrastructure as code": ("the rules written as a poem",),
    "rollback release automation": ("the way back to the station",),
    "canary gradual rollout": ("the letters reach the office first",),
    "service boundaries split the monolith": ("carve the turkey for the guests",),
    "architecture on-device or server trade-offs": ("the waiters on the terrace",),
    "architecture diagram components": ("untangle the fishing line",),
    "build versus buy vendor choice": ("a ready meal for dinner",),
    "roadmap milestones timeline": ("a plan for the garden",),
    "success criteria measure success": ("which numbers did you pick in the raffle",),
    "prioritization priorities": (
        "it matters most to the children",
        "Thanks, which of these matters most?",
    ),
    "requirements acceptance criteria": ("we agree the weather was bad",),
    "profiling latency": ("where the kids spend the holidays",),
    "load test breaking point": ("the old bridge gave way in the flood",),
    "load test capacity": ("how many people the hall holds",),
}


# Whole requests, in plain words or shorthand: each ask named goes to its owner, in order.
OWNERS: dict[str, list[str]] = {
    "We run a bicycle hire shop. I'd like a tool that goes through our online reviews and tells me"
    " whether riders were happy or upset. Also, the hotels nearby need a proper way to send their"
    " bookings to us straight from their own systems.": ["ml_engineer", "backend_architect"],
    "kite maker: adr on splitting payments out": ["system_architect"],
    "tram depot: wheel sensor reads -> kafka -> lake, late reads break weekly totals": [
        "data_engineer"
    ],
}


def test_each_text_is_read_by_what_it_means() -> None:
    assert misreadings(SAID, UNSAID) == []


def test_each_ask_goes_to_its_owner(reading: str) -> None:
    assert {text: explained_owners(text) for text in OWNERS} == OWNERS
