"""Requests in a non-specialist's plain words go to the role whose card names the concept.

Each case says one entry of ``team.routing.lexicon`` in words no spent ask set uses; on the router
before the lexicon each went to a role whose card merely shared a noun with the setting.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.routing.lexicon import card_words

PLAIN = [
    # a model's predictions and their quality
    (
        "The tool that guesses how many meals the canteen should cook is way off lately; find out why.",
        "ml_engineer",
    ),
    ("Members say the suggestions we email them are useless; look at why.", "ml_engineer"),
    (
        "It keeps getting the categories wrong on short receipts; work out why it gets them wrong.",
        "ml_engineer",
    ),
    ("Too many parcels are wrongly flagged as damaged; look into it.", "ml_engineer"),
    ("Does it need to learn from this spring's sign-ups?", "ml_engineer"),
    ("How many hand-sorted photos would they need per breed before this is usable?", "ml_engineer"),
    ("We'd like a computer to sort the incoming post for us.", "ml_engineer"),
    ("Check the new version didn't get worse for customers in Wales.", "ml_engineer"),
    # a model named by what it predicts, scoring by how likely, whether software can read
    ("Set up a no-show predictor on top of the clinic's bookings database.", "ml_engineer"),
    ("Rank our volunteers by how likely they are to turn up again.", "ml_engineer"),
    (
        "Is it possible for software to read the scanned invoices and fill in the supplier?",
        "ml_engineer",
    ),
    # how many will come, known ahead; demand estimated by place and hour
    (
        "Could the ferry office know in advance how many cars each sailing will carry?",
        "ml_engineer",
    ),
    ("Estimate demand for bike hire by station and weekday.", "ml_engineer"),
    # "split by region" says how the error analysis is cut; it is no ask of its own
    (
        "Do an error analysis of the fraud flags in the warehouse tables, split by region.",
        "ml_engineer",
    ),
    ("Test the fix on a slice of shoppers first, then tell me if it helped.", "ml_engineer"),
    ("Look at why it keeps missing the busy Fridays.", "ml_engineer"),
    ("I wonder if a machine could read the handwritten forms for us.", "ml_engineer"),
    ("Is the reminder email nudging people to pay earlier, or is that just noise?", "ml_engineer"),
    ("Figure out which details are pushing the no-show numbers up.", "ml_engineer"),
    ("Check how it does on weekdays versus weekends separately.", "ml_engineer"),
    ("Measure it against just showing the newest items first.", "ml_engineer"),
    ("Can we tell which members are likely to leave next month?", "ml_engineer"),
    ("Can it spot the fake reviews before they go up?", "ml_engineer"),
    ("We want incoming emails automatically sorted into complaints and bookings.", "ml_engineer"),
    ("Could the software suggest recipes to members from what they cooked before?", "ml_engineer"),
    ("Is that realistic with the few dozen recordings we have?", "ml_engineer"),
    # load, capacity, where it breaks
    (
        "Will the ticket shop cope with that many fans when the tour goes on sale?",
        "performance_engineer",
    ),
    ("Keep adding visitors to the booking page until it falls over.", "performance_engineer"),
    ("How many more servers do we need for the spring sale?", "performance_engineer"),
    (
        "Before the quiz night, try the scoring page with a few thousand fake players.",
        "performance_engineer",
    ),
    (
        "Tills freeze for a few seconds when two staff update the same order; the orders seem "
        "to wait on each other.",
        "performance_engineer",
    ),
    (
        "The booking page grinds to a halt when everyone logs in at once on Monday.",
        "performance_engineer",
    ),
    (
        "The quiz page falls apart whenever more than a few thousand players join.",
        "performance_engineer",
    ),
    # on duty, rotas, staying up, rolling out to a few first
    (
        "I want a text to whoever is on duty when the booking site stops responding.",
        "devops_engineer",
    ),
    ("Set up a rota so the same person isn't woken every weekend.", "devops_engineer"),
    ("Make the shop restart gracefully and keep two copies running.", "devops_engineer"),
    (
        "Updates should go out to a few branches first and stop automatically if tills crash.",
        "devops_engineer",
    ),
    ("Block the merge when someone's change breaks the shop.", "devops_engineer"),
    ("Containerize the label printer service.", "devops_engineer"),
    (
        "The app store app went down twice this week; I want the people on call to hear first.",
        "devops_engineer",
    ),
    ("If the office floods we lose everything; sort that out.", "devops_engineer"),
    ("We need a quick way to undo a bad update to the shop.", "devops_engineer"),
    ("All our servers were set up by hand and nobody remembers how.", "devops_engineer"),
    ("Could the box office get more machines that kick in on sale mornings?", "devops_engineer"),
    ("Set up an alert for the caretaker before the heating goes off.", "devops_engineer"),
    ("Catch the console edits nobody wrote down.", "devops_engineer"),
    ("The treasurer copies files onto the server by hand; give us a safer way.", "devops_engineer"),
    # how others talk to the system, counting once, tables, who sees what
    ("Work out how the partner apps would talk to our system.", "backend_architect"),
    ("Make sure a gift is recorded only once when the bank resends it.", "backend_architect"),
    ("Sketch the tables for this.", "backend_architect"),
    ("Volunteers should see only their own shifts, coordinators everything.", "backend_architect"),
    ("Each coach only sees his own team's results.", "backend_architect"),
    (
        "Connect our ordering system to the supplier's catalogue so prices stay current.",
        "backend_architect",
    ),
    (
        "Two cashiers can't both sell the last ticket; rework the checkout so that can't happen.",
        "backend_architect",
    ),
    ("Staff should log in with their work Microsoft account.", "backend_architect"),
    ("Only managers can issue refunds, everyone else just views them.", "backend_architect"),
    ("The till needs to be able to look up a member's discount at payment.", "backend_architect"),
    ("Plug the booking form into the clinic's calendar.", "backend_architect"),
    ("Make sure each court can only be booked by one member per hour.", "backend_architect"),
    # what the machines cost and which could be switched off
    (
        "Show me what we are paying for each month and which servers could be shut off.",
        "devops_engineer",
    ),
    ("Members should stay logged in on the tablet between visits.", "backend_architect"),
    # a way for a device or an app to send or fetch data, delivered once, one's own records only
    ("The till scanners need a way to send stock counts back to us.", "backend_architect"),
    (
        "Payments must be sent so nothing gets lost and each one is delivered once.",
        "backend_architect",
    ),
    ("Tutors should just see their own pupils' marks.", "backend_architect"),
    # pulling data into one place, where numbers came from
    # old records brought into the reports, personal details scrambled in analysts' copies
    ("Bring the old ticket sales into the weekly dashboards.", "data_engineer"),
    ("Scramble the phone numbers in the copy the interns query.", "data_engineer"),
    (
        "Get the shop sales and the ad spend pulled in every morning into one place.",
        "data_engineer",
    ),
    ("Keep a note of which platform each number on the sheet came from.", "data_engineer"),
    # splitting for growth, buying instead of building
    ("Split the members across several machines as the club grows.", "system_architect"),
    ("Would an off-the-shelf stock tool do better than the one Dave wrote?", "system_architect"),
    (
        "Should the shop, stock and loyalty apps stop calling each other directly?",
        "system_architect",
    ),
    # risks, knowing it worked, looking back, long plans
    ("Jot down what could go wrong with the office move.", "pm"),
    ("Tell me how we'll know it worked.", "pm"),
    ("Run a look-back with everyone on what worked and what didn't at the fair.", "pm"),
    ("Give me an eighteen-month plan for the loyalty scheme.", "pm"),
    ("Which one goes first, the gift cards or the loyalty scheme?", "pm"),
    ("What can we drop so the app still opens in May?", "pm"),
    ("Write up the two options so the trustees can decide.", "pm"),
    ("Find out what the volunteers actually need from the new app.", "pm"),
]


@pytest.mark.parametrize(("text", "role"), PLAIN)
def test_team_route_reads_plain_words_as_the_card_concept(text, role):
    result = CliRunner().invoke(app, ["route", text])
    assert result.exit_code == 0, result.output
    assert result.output.split()[0] == role, result.output


def test_a_lexicon_entry_names_a_way_of_saying_a_concept_not_a_setting():
    # the same phrasing means the same card words whatever it is about
    assert card_words("the thing that guesses wait times") == card_words("it guesses prices")
    # ... and card words need no reading: a card's own request is left as it is
    assert card_words("Add a composite index to the orders table") == []
    # a phrase that means something else elsewhere is left out: a model that "holds up" on new
    # data is evaluated, not load tested
    assert card_words("check the model still holds up on the new sensor") == []
    # a cache that keeps missing has cache misses, not a model's errors
    assert card_words("Find out why the cache keeps missing on the search page.") == []
    assert card_words("find out why the scanner keeps missing barcodes") == ["model errors"]


def test_plain_verbs_open_an_ask():
    """ "Connect", "link", "pull", "jot", "teach", "ping", "sync" open an ask like "integrate":
    the connection asked for was read as the request's setting and nobody owned it."""
    result = CliRunner().invoke(
        app,
        [
            "route",
            "--explain",
            "We're opening two new cafes. Connect our till system to the supplier's price list. "
            "Also draft the opening roadmap.",
        ],
    )
    lines = result.output.splitlines()
    assert lines[0].startswith("first role: backend_architect  (score ")
    assert lines[3] == 'ask 1: "Connect our till system to the supplier\'s price list"'
    assert lines[4].startswith("  owner backend_architect  margin 0.")


def test_the_writers_own_guesses_and_asks_for_suggestions_are_not_a_models():
    """ "My guess is ...", "any suggestions on how ..." and "rank the results by relevance" say
    the lexicon's words about something else: they add no card words."""
    assert card_words("My guess is the cache; any suggestions on how to check?") == []
    assert card_words("rank the results by relevance") == []
    # a model's guesses said to be off are its predictions and their errors
    assert card_words("its guesses are off") == ["predictions forecast", "model accuracy errors"]


def test_how_much_it_can_take_is_capacity_but_coping_with_a_new_layout_is_not():
    from team.routing.lexicon import card_words

    for said in (
        "check how much traffic it really handles today",
        "tell us how many students at once it can take",
        "test whether the site holds up",
    ):
        assert "load test capacity" in card_words(said), said
    for said in (
        "make the import cope with the new layout",
        "make our side cope with their outages gracefully",
    ):
        assert "load test capacity" not in card_words(said), said


def test_whether_an_idea_is_doable_with_our_history_is_an_ml_feasibility_question():
    """ "can someone check if that's even doable with our check-in history?" asks whether the data
    can carry a prediction: the ML Engineer's, not the Data Engineer's whose nouns it says."""
    text = (
        "Our gym's owner read that apps can now predict which members will cancel, and wants it "
        "in the spring plan. Draft the spring plan: what we try first and who signs off. But "
        "first, can someone check if that's even doable with our check-in history?"
    )
    result = CliRunner().invoke(app, ["route", "--explain", text])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    asked = lines.index(
        'ask 2: "can someone check if that\'s even doable with our check-in history?"'
    )
    assert lines[asked + 1].startswith("  owner ml_engineer  margin ")
    assert card_words("is that possible given the sales data?") == [
        "can a model feasible training data"
    ]


def test_drift_from_what_the_code_says_is_infrastructure_and_a_models_drift_is_not():
    """ "console edits" and "drift from what is running" are DevOps's drift detection (its card's
    Infrastructure as Code); drift in a model's inputs gets no such reading."""
    infra = "infrastructure as code Terraform drift detection"
    assert card_words("flag the console edits every night") == [infra]
    assert card_words("detect drift from the code we keep in the repo") == [infra]
    assert card_words("watch the model's inputs for drift") == []
