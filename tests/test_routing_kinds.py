"""Asks whose kind says whose they are, and questions read whole: written for these rules, in
domains no ask set uses."""

from __future__ import annotations

import pytest

from team.routing import (
    ESCALATION,
    Ask,
    Router,
    criterion_fit,
    is_stakeholder_message,
    next_move,
    plan_request,
    read_clauses,
    read_request,
)
from team.routing.text import is_choice


@pytest.fixture(scope="module")
def router(default_team):
    return Router(default_team.cards)


def owners(router: Router, text: str) -> list[tuple[str, str]]:
    asks, _ = read_request(router, text)
    return [(a.text, a.owner) for a in asks]


def test_a_message_for_the_people_the_work_is_for_is_the_pms(router, default_team):
    text = (
        "The seed-catalogue search times out for big orders. Profile the catalogue query, and "
        "let the garden-centre buyers know when they can expect the fix."
    )
    assert owners(router, text) == [
        ("Profile the catalogue query", "performance_engineer"),
        ("let the garden-centre buyers know when they can expect the fix", "pm"),
    ]
    steps = plan_request(router, text, router.route_request(text).agent, default_team.targets)
    assert router.route_request(text).agent == "performance_engineer"
    holder, move = steps[-1]  # the profiler hands the message on along its edge to the PM
    assert (holder, move.action, move.target) == ("performance_engineer", "handoff", "pm")
    assert move.ask.text.startswith("let the garden")
    # Someone waiting on a date is told by the PM too.
    [_, wait] = owners(
        router,
        "Build the ferry timetable endpoint. The harbour office also wants to hear whether "
        "we'll be ready for the summer sailings.",
    )
    assert wait[1] == "pm"


def test_telling_us_what_is_wrong_is_the_analysis_not_a_message(router):
    [ask] = owners(router, "Read the query plan of the orchard report and tell us why it crawls.")
    assert ask[1] == "performance_engineer"
    assert not is_stakeholder_message("tell us whether the fig classifier drifted")
    # What someone wants to know that is not about a date is the work's, not a message.
    assert not is_stakeholder_message("the co-op wants to know if the yield model is biased")


def test_a_meeting_to_run_is_the_pms_but_paging_on_call_is_not(router):
    text = "Host the kickoff call with the three bakery franchise owners next week."
    assert owners(router, text) == [(text.rstrip("."), "pm")]
    assert router.route_request(text).agent == "pm"
    [ask] = owners(router, "Set up alerting that pages on-call when the oven sensors go quiet.")
    assert ask[1] == "devops_engineer"


def test_what_counts_as_done_is_the_definition_of_done(router):
    text = (
        "The loyalty-card rework has been nearly finished for a month. "
        "What counts as complete for the rework?"
    )
    assert router.route_request(text).agent == "pm"
    assert owners(router, text)[-1][1] == "pm"


def test_pinning_down_what_a_vague_goal_means_is_the_pms_not_its_domains(router, default_team):
    """ "write down what faster actually means and how we'd know we got there" says a speed
    word and is near labelled Performance asks in meaning, but defining the goal and how to
    judge it is success criteria: the PM keeps it."""
    text = (
        "Customers say the portal is slow but nobody agrees what that means. Could someone sit "
        "down with the support leads and write down what faster actually means and how we'd "
        "know we got there?"
    )
    assert owners(router, text)[-1] == (
        "write down what faster actually means and how we'd know we got there?",
        "pm",
    )
    steps = plan_request(router, text, router.route_request(text).agent, default_team.targets)
    assert {h for h, _ in steps} == {"pm"} and all(m.action == "keep" for _, m in steps)


def test_a_question_about_whether_to_change_course_weighs_a_choice(router, default_team):
    text = (
        "Our hotel booking, housekeeping rota and invoicing all sit in one Django app. "
        "Should we carve it into services, and if so which piece goes first?"
    )
    [ask] = owners(router, text)
    assert ask == (
        "Should we carve it into services, and if so which piece goes first?",
        "system_architect",
    )
    assert is_choice("is it time to shard the bookings per country")
    assert is_choice("Is a queue still the right fit for the rota sync, given the spikes?")
    # "should" saying what something does is no question; "should I" is the asker's own work.
    assert not is_choice("the nightly rota export should retry twice")
    assert not is_choice("should I backfill the new column first")
    # A backend holder hands such a question on along its technology-choice edge.
    [ask] = owners(router, "Should our booking service run in two regions at once?")
    move = next_move(
        router,
        read_request(router, "Should our booking service run in two regions at once?")[0][0],
        "backend_architect",
        default_team.targets("backend_architect"),
    )
    assert ask[1] == "system_architect"
    assert (move.action, move.target) == ("handoff", "system_architect")


def test_a_short_question_before_its_options_is_one_ask(router):
    text = "We are building a parts catalogue. Which queue fits: plain RabbitMQ, or something like Kafka?"
    assert owners(router, text) == [
        ("Which queue fits: plain RabbitMQ, or something like Kafka?", "system_architect")
    ]
    # "..., and if so <verb>" still opens a second ask.
    assert (
        len(owners(router, "Check whether the pool is too small, and if so resize the pool.")) == 2
    )


def test_a_word_only_a_criterion_says_makes_its_edge_fit(router, default_team):
    # "smaller" is in no card's triggers, capabilities or vocabulary: only the Performance
    # Engineer's criterion for the ML Engineer ("a smaller model, fewer features ...") says it.
    text = (
        "Profile the parcel-sorting service. The route predictor is the slow part; "
        "could a smaller network keep about the same precision?"
    )
    fit = criterion_fit(
        router, "could a smaller network keep the precision", "performance_engineer", "ml_engineer"
    )
    assert fit.fits and "smaller" in fit.shared
    steps = plan_request(router, text, "performance_engineer", default_team.targets)
    assert [(h, m.action, m.target) for h, m in steps] == [
        ("performance_engineer", "keep", "performance_engineer"),
        ("performance_engineer", "handoff", "ml_engineer"),
    ]
    # A question about the cache names no such word: the profiler keeps it.
    fit = criterion_fit(
        router,
        "could the cache keep about the same hit rate",
        "performance_engineer",
        "ml_engineer",
    )
    assert not fit.fits


def test_an_ask_that_points_back_at_the_ask_before_it_goes_on_with_that_work(router):
    text = (
        "Ticket sales for the cup final open at noon. Load test the seat checkout at 20x "
        "normal traffic, and tell us at what rate it starts refusing or queueing carts."
    )
    assert [owner for _, owner in owners(router, text)] == ["performance_engineer"] * 2
    # What the ask says still decides when it is another role's work.
    text = "Train the ticket-fraud model, and expose it behind an API for the box office."
    assert [owner for _, owner in owners(router, text)] == ["ml_engineer", "backend_architect"]


def test_an_ask_no_criterion_fits_goes_straight_to_its_owner_not_through_the_pm(
    router, default_team
):
    text = (
        "Our crop-yield model is retrained by hand from a notebook each season. Turn it into a "
        "reproducible training pipeline with an evaluation report, and get the training image "
        "built and scanned in CI."
    )
    steps = plan_request(router, text, "ml_engineer", default_team.targets)
    # The ML Engineer's edge to DevOps is for ML infrastructure, which CI is not; the edge is
    # there all the same, so the ask goes along it claiming no fit, and the PM stays out.
    assert [(h, m.action, m.target) for h, m in steps] == [
        ("ml_engineer", "keep", "ml_engineer"),
        ("ml_engineer", "escalate", "devops_engineer"),
        ("devops_engineer", "keep", "devops_engineer"),
    ]
    assert steps[1][1].criterion == ESCALATION
    # An ask its owner's card fits only weakly is not sent on without a criterion.
    weak = Ask(
        "get the image built in CI",
        (("devops_engineer", 12.0), ("ml_engineer", 3.0), ("pm", 1.0)),
    )
    move = next_move(router, weak, "ml_engineer", default_team.targets("ml_engineer"))
    assert (move.action, move.target) != ("escalate", "devops_engineer")


def test_what_is_not_needed_or_is_there_already_and_how_soon_ask_for_nothing(default_team):
    router = Router(default_team.cards)
    text = (
        "Shrink the onboarding form to what we can ship in one sprint and write acceptance "
        "criteria for it. The signup API is already in place, so no new endpoints are needed."
    )
    steps = plan_request(router, text, router.route_request(text).agent, default_team.targets)
    assert {h for h, _ in steps} == {"pm"} and all(m.action == "keep" for _, m in steps)
    clauses = read_clauses("Rotate the vault tokens. No rush, but by Friday ideally.")
    assert [c.kind for c in clauses] == ["ask", "context"]
    text = (
        "Retrain the leaf-spot classifier on the new photos. Not urgent, but before month end pls."
    )
    assert [o for _, o in owners(router, text)] == ["ml_engineer"]
    # A deadline on work is part of the ask; "Ship it by Friday" asks.
    assert [c.kind for c in read_clauses("Ship the export fix by Friday.")] == ["ask"]


def test_a_real_word_a_letter_off_a_card_word_is_not_read_as_that_word(router):
    """ "auction" is not a misspelt "actions" (GitHub Actions, DevOps's); a slip of the fingers
    still is read as the card word it misses."""
    text = "Record traces through the whole auction flow so we can see the p99 of each hop"
    assert router.route_request(text).agent == "performance_engineer"
    assert owners(router, text) == [(text, "performance_engineer")]
    assert [router.spell(w) for w in ("auction", "county", "charging", "tablets")] == [
        "auction",
        "county",
        "charging",
        "tablets",
    ]
    # Slips: swapped letters, a letter left out, a key struck twice, a plural of a slip.
    assert [router.spell(w) for w in ("endpiont", "pipline", "inferrence")] == [
        "endpoint",
        "pipeline",
        "inference",
    ]
    assert router.spell("recomendations") == "recommendation"
    assert router.route_request(
        "Set up the staging deploymnet for the ticketing service"
    ).agent == ("devops_engineer")


def test_a_choice_of_store_the_data_card_hands_on_is_the_system_architects(router, default_team):
    """The Data Engineer's card gives "a technology choice such as lake versus warehouse" to the
    System Architect: a choice of store that says data words is the architect's, and goes there
    along that edge; data work on the same store stays the Data Engineer's."""
    text = (
        "The ledger keeps growing by a billion rows a month. Should we keep it in MySQL with "
        "partitioning, or move it to ClickHouse?"
    )
    assert [owner for _, owner in owners(router, text)] == ["system_architect"]
    first = router.route_request(text).agent
    # By words the scene is the data team's; by meaning the lone ask is a choice of store, the
    # architect's, who then takes the request first.
    assert first == ("system_architect" if router.reader is not None else "data_engineer")
    # Held by the Data Engineer, the choice goes to the architect along that edge.
    [(holder, move)] = plan_request(router, text, "data_engineer", default_team.targets)
    assert (holder, move.action, move.target) == ("data_engineer", "handoff", "system_architect")
    assert move.criterion.startswith("a technology choice such as lake versus warehouse")
    work = "Add a partitioned MySQL table for the monthly ledger and backfill it from the dump"
    assert {owner for _, owner in owners(router, work)} == {"data_engineer"}
    # A choice the PM weighs (what goes first) stays the PM's.
    assert router.chooser("Should we ship the export or the SSO login first?") is None


def test_a_thing_someone_wants_made_after_an_ask_is_one_more_ask(router):
    """After the asks begin, what another team wants made is asked on their behalf and goes to
    its owner; said first, it is what the request is about, and asks nothing itself."""
    text = (
        "Please load the ferry ticket scans into the warehouse, one row per boarding. Once "
        "that's in, the harbour office wants a model that forecasts boardings per sailing."
    )
    assert [c.is_ask for c in read_clauses(text)] == [True, True]
    assert owners(router, text)[-1] == (
        "Once that's in, the harbour office wants a model that forecasts boardings per sailing",
        "ml_engineer",
    )
    opening = read_clauses(
        "Once the season starts, the harbour office wants a loyalty app. Write the user stories."
    )
    assert [c.is_ask for c in opening] == [False, True]
    # What someone wants to do is still the situation.
    assert [c.is_ask for c in read_clauses("Fix the export. Insurers want to query it daily.")] == [
        True,
        False,
    ]


def test_the_other_side_of_a_choice_stays_with_the_choice(router):
    """ ", or should each depot ..." is the second option of the question before it, not a new
    ask that says what a new subject needs: the whole choice has one owner."""
    text = (
        "Should the depots keep one shared stock ledger that every till writes to, or should "
        "each depot publish stock events that a regional index consumes?"
    )
    assert [str(c) for c in read_clauses(text)] == [text]
    assert [owner for _, owner in owners(router, text)] == ["system_architect"]
    # A new subject that says what it needs still opens an ask of its own.
    assert [
        str(c)
        for c in read_clauses("Fix the till export, the depot servers need more disk as well")
    ] == ["Fix the till export", "the depot servers need more disk as well"]


def test_capturing_traces_or_stress_testing_is_asked_and_is_performance_work(router):
    """ "Capture ...", "Stress test ..." and "someone measure ..." ask as imperatives do; what
    someone did is still the situation."""
    text = (
        "The ferry booking page hangs at the top of the hour. Capture traces during the 9am "
        "rush so we can see the p99 per hop. Then someone stress test checkout at 4x the peak."
    )
    assert [c.is_ask for c in read_clauses(text)] == [False, True, True]
    assert [owner for _, owner in owners(router, text)] == [
        "performance_engineer",
        "performance_engineer",
    ]
    assert router.route_request(text).agent == "performance_engineer"
    [done, ask] = read_clauses("Someone deleted the fare table last night. Restore it from backup.")
    assert (done.is_ask, ask.is_ask) == (False, True)


def test_an_ask_whose_owner_the_holder_cannot_reach_is_left_open_not_relayed(default_team):
    """In a team whose DevOps card has no edge to the Data Engineer, the data ask is left open in
    DevOps's answer, which says so, instead of going through the PM, who has no part in it."""
    from team.engine import Engine
    from team.topology import Team

    devops = default_team.cards["devops_engineer"]
    cut = devops.model_copy(
        update={"handoffs": tuple(h for h in devops.handoffs if h.target_id != "data_engineer")}
    )
    cards = [cut if c.id == cut.id else c for c in default_team.cards.values()]
    team = Team.from_cards(cards, default_team.topology)
    text = (
        "Add a canary stage to the deploy pipeline for the ferry ticket service. Separately, the "
        "nightly Airflow load of fares into the warehouse duplicates rows on rerun; make it "
        "idempotent."
    )
    steps = plan_request(Router(team.cards), text, "devops_engineer", team.targets)
    assert [(h, m.action, m.target) for h, m in steps] == [
        ("devops_engineer", "keep", "devops_engineer"),
        ("devops_engineer", "open", "data_engineer"),
    ]
    # with the edge its card has, DevOps hands the load on
    steps = plan_request(Router(default_team.cards), text, "devops_engineer", default_team.targets)
    assert [(h, m.action, m.target) for h, m in steps][1] == (
        "devops_engineer",
        "handoff",
        "data_engineer",
    )
    result = Engine(team, model="offline").run(text, thread_id="left-open")
    assert list(result.visited) == ["devops_engineer"]
    [left] = [
        line
        for line in result.deliverables["devops_engineer"].splitlines()
        if line.startswith("**Left open:**")
    ]
    assert "nightly Airflow load of fares" in left


def test_an_ask_put_to_a_role_after_a_lead_in_or_as_a_call_from_it_is_theirs(router):
    """ "Also ask ML to ..." and "need a call from product" name whom the ask is for, whatever
    its words; a call from someone who is not a role names no one."""
    text = (
        "Add API keys to the tide-gauge endpoints. Also ask ML to look at whether the surge "
        "estimator is worth feeding the new buoy readings. Need a call from product on pricing."
    )
    assert [c.to for c in read_clauses(text, addressee=router.addressee)] == [
        None,
        "ml_engineer",
        "pm",
    ]
    assert [owner for _, owner in owners(router, text)] == [
        "backend_architect",
        "ml_engineer",
        "pm",
    ]
    [clause] = read_clauses("We got a call from the harbour office", addressee=router.addressee)
    assert clause.to is None


def test_an_action_item_that_names_its_doer_before_the_verb_is_the_doers(router, default_team):
    """ "Ops to add ..." in a list of action items is an ask for DevOps, and the ask is the work
    after the name; a name before "to" that is no role, or no verb after it, names no one."""
    text = (
        "Kiln review notes: the glaze line overheated twice in March. Actions: product to write "
        "the supplier brief; ops to provision a staging environment for the kiln controller; perf to replay the "
        "March load on the scheduler."
    )
    assert owners(router, text) == [
        ("write the supplier brief", "pm"),
        ("provision a staging environment for the kiln controller", "devops_engineer"),
        ("replay the March load on the scheduler", "performance_engineer"),
    ]
    steps = plan_request(router, text, "pm", default_team.targets)
    assert [(holder, move.target) for holder, move in steps if move.action != "keep"] == [
        ("pm", "devops_engineer"),
        ("devops_engineer", "performance_engineer"),
    ]
    clauses = read_clauses(
        "Glazers to check the kiln log. Hand the infra to DevOps.", addressee=router.addressee
    )
    assert [c.to for c in clauses] == [None, None]


def test_an_ask_that_has_a_role_do_the_work_is_that_roles(router, default_team):
    """ "Then have perf load test ..." puts the work after the name to the Performance Engineer;
    what a team does already ("We have ops review every deploy") is the situation."""
    text = (
        "Write the rollout note for the loyalty-points launch. Then have perf load test the "
        "points service at twice the Saturday p95 traffic."
    )
    assert owners(router, text) == [
        ("Write the rollout note for the loyalty-points launch", "pm"),
        ("load test the points service at twice the Saturday p95 traffic", "performance_engineer"),
    ]
    steps = plan_request(router, text, "pm", default_team.targets)
    assert [(holder, move.target) for holder, move in steps if move.action == "handoff"] == [
        ("pm", "performance_engineer")
    ]
    [clause] = read_clauses("We have ops review every deploy", addressee=router.addressee)
    assert clause.to is None


def test_weigh_repartition_wrap_prove_shadow_and_mask_open_an_ask(router):
    """An imperative with one of these verbs asks for work like any listed one; the verb
    inflected ("Weighing the options took a week") tells what happened."""
    text = (
        "The hop-yield dashboard lags a day behind. Repartition the harvest table by field and "
        "week. Then prove with a load test that the dashboard API holds 300 requests per second."
    )
    assert owners(router, text) == [
        ("Repartition the harvest table by field and week", "data_engineer"),
        (
            "Then prove with a load test that the dashboard API holds 300 requests per second",
            "performance_engineer",
        ),
    ]
    kinds = [
        c.kind
        for c in read_clauses(
            "Weighing the options took a week. Weigh the options and write an ADR."
        )
    ]
    assert kinds == ["context", "ask", "ask"]


def test_an_ask_put_to_a_role_by_name_leads_triage_however_few_its_words(router):
    """A question put to the architects first is theirs to take first, though its own words are
    too few to lead; unaddressed, the PM's risk list after it leads."""
    question = "does each terminal get its own booking copy?"
    risks = "PM to list the risks for the Oslo launch."
    assert router.route_request(f"Question for architecture: {question} {risks}").agent == (
        "system_architect"
    )
    assert router.route_request(f"{question.capitalize()} {risks}").agent == "pm"


def test_a_role_addressed_by_its_initials_is_that_role(router):
    """ "Question for SA:" and "DE to ..." put the ask to the System Architect and the Data
    Engineer; initials that address no one ("our SA region") put it to no one."""
    text = (
        "Question for SA: should the tide-gauge readings keep one store per harbour? "
        "DE to backfill the March readings. Our SA region is down."
    )
    clauses = read_clauses(text, addressee=router.addressee)
    assert [(str(c), c.to) for c in clauses if c.is_ask] == [
        ("should the tide-gauge readings keep one store per harbour?", "system_architect"),
        ("backfill the March readings", "data_engineer"),
    ]
    assert [owner for _, owner in owners(router, text)] == ["system_architect", "data_engineer"]


def test_a_question_that_lists_its_options_weighs_them(router):
    """ "a wide table, a graph store, or something else?" weighs alternatives like "should we
    ... or ...", and a technology choice goes to the System Architect; a list that asks for
    all its items ("add retries, a timeout, or both to the client") chooses nothing."""
    assert is_choice("a wide Postgres table, a graph store, or something else?")
    assert not is_choice("Add retries, a timeout, or both to the client.")
    text = (
        "Route lookups for the ferry planner take 9 seconds. Profile the lookup query. If "
        "Postgres can't keep up with twice the routes, we need an answer: a wide Postgres "
        "table, a graph store, or something else?"
    )
    assert [owner for _, owner in owners(router, text)][-1] == "system_architect"


def test_measuring_how_much_is_one_part_versus_another_is_a_split_not_a_choice(router):
    """ "Measure how much of X is A versus B" asks for a measured split (the Performance
    Engineer's), not a choice for the architect, though it says "versus"."""
    text = (
        "Printing a boarding pass at the ferry kiosk takes 9 seconds. Measure how much of that "
        "is the payment gateway versus our own rendering code."
    )
    [ask] = owners(router, text)
    assert ask[1] == "performance_engineer"
    assert router.route_request(text).agent == "performance_engineer"
    assert not is_choice("then break down the wait, gateway vs rendering")
    # A question that weighs two courses is still a choice, whatever it measures.
    assert is_choice("Should the kiosk keep its own payment service or call the shared gateway?")
    [choice] = owners(
        router, "Should the kiosk keep its own payment service or call the shared gateway?"
    )
    assert choice[1] == "system_architect"


def test_a_question_which_of_several_should_be_picked_is_a_choice(router):
    """ "Which system should own the order history?" asks for a pick among systems (the System
    Architect's), though it names no second option; a "which" that picks nothing is no choice."""
    text = (
        "Orders live in both the shop database and the CRM. Which system should own the order "
        "history, and how do the others read it?"
    )
    assert is_choice("which queue should take the refunds")
    assert owners(router, text)[-1][1] == "system_architect"
    assert not is_choice("list which sailings were cancelled last week")
    [ask] = owners(router, "Export which sailings were cancelled last week to the ferry dashboard.")
    assert ask[1] != "system_architect"


def test_a_numbered_item_that_names_its_role_before_a_colon_is_that_roles(router):
    """ "(2) perf: how many ...?" puts the item to the role named after its number, as "perf:
    ..." does; the number hid the name, and the item went to whichever card its words fit."""
    text = (
        "The spring fair opens Saturday. Items: (1) backend: add a waitlist endpoint for "
        "sold-out stalls; (2) perf: how many checkouts per minute can the payment page take? "
        "nobody knows; (3) PM: decide whether we open online sales Friday or hold them a day."
    )
    assert owners(router, text) == [
        ("add a waitlist endpoint for sold-out stalls", "backend_architect"),
        ("how many checkouts per minute can the payment page take?", "performance_engineer"),
        ("decide whether we open online sales Friday or hold them a day", "pm"),
    ]
    # A number before a word that names no role leaves the item to its words.
    [ask] = owners(router, "Two fixes. (1) stalls: add a waitlist endpoint for sold-out stalls.")
    assert ask[1] == "backend_architect"


def test_a_note_sent_to_the_people_affected_is_the_pms(router, default_team):
    """ "Send the members a short explanation of ..." is a message to people outside the work,
    as "let the members know" is: the holder passes it up to the PM instead of keeping it.
    Sending data somewhere is no message."""
    text = (
        "The ticket kiosks were down for two hours during the regatta. Add uptime alerts on the "
        "kiosk service, and send members and sponsors a short explanation of the outage."
    )
    first = router.route_request(text).agent
    steps = plan_request(router, text, first, default_team.targets)
    assert first == "devops_engineer"
    assert [(h, m.action, m.target) for h, m in steps][1:] == [
        ("devops_engineer", "escalate", "pm"),
        ("pm", "keep", "pm"),
    ]
    assert not is_stakeholder_message("send the order events to the warehouse queue")


def test_a_modal_then_its_verb_is_one_ask(router, default_team):
    text = (
        "The ticket booth API stalls every Saturday at noon. Measure how many requests per second "
        "it takes before p99 passes 800ms. Whoever runs the Kubernetes cluster should then raise "
        "the HPA's max replicas to match."
    )
    assert owners(router, text) == [
        (
            "Measure how many requests per second it takes before p99 passes 800ms",
            "performance_engineer",
        ),
        (
            "Whoever runs the Kubernetes cluster should then raise the HPA's max replicas to match",
            "devops_engineer",
        ),
    ]
    # "... and then raise ..." after a verb that is not a modal still starts an ask of its own.
    assert [str(c) for c in read_clauses("Profile the booth API and then raise the limits")] == [
        "Profile the booth API",
        "then raise the limits",
    ]


def test_what_the_thing_just_asked_for_has_to_do_is_that_asks_requirement(router, default_team):
    text = (
        "Minutes from the bakery sync. Action (Ana): train a baseline demand model for the "
        "sourdough loaves from till data; it has to beat the baker's rule of thumb on hit rate "
        "before we try anything fancier. Action (Joe): expose the forecasts to the ordering app "
        "through an endpoint."
    )
    assert [owner for _, owner in owners(router, text)] == ["ml_engineer", "backend_architect"]
    first = router.route_request(text).agent
    steps = plan_request(router, text, first, default_team.targets)
    assert first == "ml_engineer"
    assert {holder for holder, _ in steps} | {m.target for _, m in steps} == {
        "ml_engineer",
        "backend_architect",
    }
    # A need of something else ("the ordering app must ...") is an ask of its own.
    other = "Train a demand model for the loaves; the ordering app must show the forecast too."
    assert len(owners(router, other)) == 2


def test_one_more_item_told_then_the_ask_it_calls_for_is_one_ask(router, default_team):
    text = (
        "Can you retrain the glaze-defect classifier on the spring kiln photos? Also the kiln "
        "booking page crawled at the weekend, so profile where its requests spend their time."
    )
    assert owners(router, text) == [
        ("Can you retrain the glaze-defect classifier on the spring kiln photos?", "ml_engineer"),
        (
            "Also the kiln booking page crawled at the weekend, so profile where its requests "
            "spend their time",
            "performance_engineer",
        ),
    ]
    steps = plan_request(router, text, "ml_engineer", default_team.targets)
    assert [(h, m.action, m.target) for h, m in steps][-1] == (
        "ml_engineer",
        "handoff",
        "performance_engineer",
    )
    # An item that asks itself stays an ask of its own.
    also = "Retrain the classifier. Also, add auth to the kiln API, so nobody can book for free."
    assert len(owners(router, also)) == 2


def test_try_opens_an_ask(router):
    text = (
        "The spoilage model for the dairy vans warns too late. Try adding door-open and ambient "
        "temperature features to the model. The logger files land in S3 with duplicate rows, so "
        "please dedupe them in the ingestion job first."
    )
    assert owners(router, text) == [
        ("Try adding door-open and ambient temperature features to the model", "ml_engineer"),
        ("so please dedupe them in the ingestion job first", "data_engineer"),
    ]


def test_an_agreement_to_reach_with_people_is_the_pms(router):
    text = (
        "The orchard packhouse and the farm shop both report tray counts and they differ by 9%. "
        "We need lineage for both numbers: which source, which transformation. And can we agree "
        "with the growers' co-op on what counts as a tray before anything changes?"
    )
    assert [owner for _, owner in owners(router, text)] == ["data_engineer", "pm"]
    [ask] = owners(router, "Get the growers and the packhouse to agree which trays ship first.")
    assert ask[1] == "pm"
    # Settling the work itself with whoever asked is the work's.
    assert not is_stakeholder_message("agree the tray table's grain and keys with them")


def test_phase_opens_an_ask_but_a_numbered_phase_is_a_name(router):
    text = (
        "The council wants a roadmap it can take to the mayor: bin sensors, a route planner and a "
        "resident app. Phase it across the next three quarters. For the sensors, data eng, list "
        "which depot source systems you'd ingest first and how."
    )
    # the roadmap the council wants is asked too (routing round 21), and it is the PM's
    assert owners(router, text) == [
        (
            "The council wants a roadmap it can take to the mayor: bin sensors, a route planner"
            " and a resident app",
            "pm",
        ),
        ("Phase it across the next three quarters", "pm"),
        ("list which depot source systems you'd ingest first and how", "data_engineer"),
    ]
    assert router.route_request(text).agent == "pm"
    assert [str(c) for c in read_clauses("We shipped phase 1, and phase 2 is blocked")] == [
        "We shipped phase 1, and phase 2 is blocked"
    ]


def test_a_team_named_before_what_it_can_do_is_that_teams(router):
    text = (
        "Design review: the tide gauges, the harbour cameras and the berth planner all share one "
        "MySQL. Map the coupling and every single point of failure, then propose boundaries. "
        "After that, backend can design the APIs between them."
    )
    assert owners(router, text)[-1] == (
        "After that, backend can design the APIs between them",
        "backend_architect",
    )
    # What a word that also names a team can do is no ask put to that team.
    [clause] = read_clauses("Data can arrive twice from the gauges", addressee=router.addressee)
    assert clause.to is None


def test_what_should_have_happened_or_a_must_have_asks_for_nothing(router, default_team):
    text = (
        "The allotment-booking app was meant to open for the spring season on 1 March and we're "
        "behind. What do we cut to make the date? The must-have is the plot map; the seed swap "
        "and the rota are nice-to-haves. Give me the cut list and a revised milestone plan."
    )
    assert [owner for _, owner in owners(router, text)] == ["pm", "pm"]
    first = router.route_request(text).agent
    steps = plan_request(router, text, first, default_team.targets)
    assert first == "pm" and {h for h, _ in steps} == {"pm"}
    late = (
        "Ferry check-in: when the evening sailings open, scans from the gate arrive 2-3 seconds "
        "late and drivers miss slots they should have got. Capture traces during tomorrow's 6am "
        "sailing so we can see the p99 per hop."
    )
    assert owners(router, late) == [
        (
            "Capture traces during tomorrow's 6am sailing so we can see the p99 per hop",
            "performance_engineer",
        )
    ]
    # "should have" with a thing still asks for it.
    [ask] = owners(router, "We should have a Grafana dashboard for the ferry gates.")
    assert ask[1] == "devops_engineer"


def test_compact_and_deduplicate_open_an_ask(router):
    text = (
        "We're about to open the autumn fixtures and the match-events lake has two years of raw "
        "JSON. Before the opener: compact the raw events into daily Parquet partitions and "
        "deduplicate by event_id; and PM, please tell the clubs honestly whether the attendance "
        "dashboards will be ready for the opener."
    )
    assert [owner for _, owner in owners(router, text)] == ["data_engineer", "data_engineer", "pm"]
    assert router.route_request(text).agent == "data_engineer"


def test_land_opens_an_ask_but_landing_somewhere_is_told(router):
    text = (
        "Tide readings from the harbour gauges arrive as CSV files on an SFTP drop. Land them in "
        "the lakehouse as Iceberg tables partitioned by day."
    )
    assert owners(router, text) == [
        ("Land them in the lakehouse as Iceberg tables partitioned by day", "data_engineer")
    ]
    assert router.route_request(text).agent == "data_engineer"
    # "... and land in a Postgres table" says where the readings go: no ask of its own.
    told = "Readings come in over MQTT and land in a plain Postgres table today"
    assert [str(c) for c in read_clauses(told)] == [told]


def test_what_someone_wants_to_know_will_be_needed_asks_for_nothing(router, default_team):
    text = (
        "The kennel desk wants to know in advance which boarding dogs will need a vet check. Can "
        "you build a first baseline model from last year's stay notes and vet outcomes? The stay "
        "notes only live in the booking app's Postgres, so someone needs to set up a nightly "
        "extract of them into the warehouse."
    )
    assert [owner for _, owner in owners(router, text)] == ["ml_engineer", "data_engineer"]
    first = router.route_request(text).agent
    steps = plan_request(router, text, first, default_team.targets)
    assert first == "ml_engineer"
    assert [(h, m.action, m.target) for h, m in steps][-1] == (
        "ml_engineer",
        "handoff",
        "data_engineer",
    )


def test_a_bare_question_of_two_named_options_is_a_choice(router):
    text = (
        "Kotlin or Go for the new ticket gateway? The team knows Java and a bit of Go. Also our "
        "data model for sailings is a mess: data team, we need a star schema for sailings and "
        "tickets in the warehouse."
    )
    assert owners(router, text)[0] == (
        "Kotlin or Go for the new ticket gateway?",
        "system_architect",
    )
    assert router.route_request(text).agent == "system_architect"
    assert is_choice("Kafka or Kinesis?")
    assert not is_choice("is it the DB or the cache that stalls?")


def test_a_doubt_about_the_one_option_asked_about_is_no_choice(router):
    text = (
        "Our rangers have three years of camera-trap photos from the twelve ponds, plus notes on "
        "when each pond dried out. Honestly, with twelve ponds, could a model learn anything "
        "useful from this or are we kidding ourselves?"
    )
    [(_, owner)] = owners(router, text)
    assert owner == "ml_engineer"
    assert not is_choice("could a model learn anything from this, or is that a pipe dream?")
    assert is_choice("is now the moment to split ticketing out, or is that premature?")


def test_a_verdict_on_the_analysis_just_asked_is_the_analysts(router):
    profiled = (
        "The ferry timetable page takes eight seconds on Saturdays. Profile where the time goes "
        "under a busy-day load, and give us a ranked list of what to fix."
    )
    assert [owner for _, owner in owners(router, profiled)] == ["performance_engineer"] * 2
    weighed = (
        "Our kiln-booking service and the glaze inventory share one Postgres instance. Review "
        "whether they should stay coupled or split into two services with their own stores, "
        "then make the call and write down why."
    )
    assert [owner for _, owner in owners(router, weighed)][-1] == "system_architect"


def test_weighing_pieces_of_work_by_their_worth_is_the_pms(router):
    ordered = (
        "The choir's ticketing site has eleven requests from the volunteers. Can you put them in "
        "order of what matters most and explain your reasoning?"
    )
    weighed = (
        "Singers say the rehearsal app is slow on Sunday evenings. Please work out whether "
        "fixing that or the new seating planner matters more this season."
    )
    for text in (ordered, weighed):
        assert [owner for _, owner in owners(router, text)] == ["pm"]


def test_a_ranking_of_work_or_a_bare_which_is_no_verdict_and_findings_are_no_priority():
    from team.routing.kinds import is_priority, is_verdict

    assert not is_verdict("rank the Q3 backlog by Thursday", content=4)
    assert is_verdict("rank the hotspots", content=2)
    assert not is_priority("which of these matters most?")
    assert is_priority("tell me what we drop if we only get two done")


def test_and_have_a_role_do_more_work_is_a_second_ask_for_that_role(router):
    text = (
        "The tide-table page lists every harbour at once. Add paging and a region filter to "
        "the endpoint, and have perf load-test it at twice the summer peak."
    )
    clauses = read_clauses(text, addressee=router.addressee)
    assert [(c, c.to) for c in clauses if c.is_ask] == [
        ("Add paging and a region filter to the endpoint", None),
        ("load-test it at twice the summer peak", "performance_engineer"),
    ]
    # what the thing asked for does is not a second ask
    told = "Design the berth-booking endpoint, and have it return a 409 on a double booking."
    assert len([c for c in read_clauses(told) if c.is_ask]) == 1


def test_produce_read_and_point_open_an_ask_but_product_is_no_misspelt_verb():
    text = (
        "Product wants the tram-stop screens live by May. Read the query plans for the "
        "timetable service, and produce a ranked list of fixes."
    )
    assert [(c, c.is_ask) for c in read_clauses(text)] == [
        ("Product wants the tram-stop screens live by May", False),
        ("Read the query plans for the timetable service", True),
        ("produce a ranked list of fixes", True),
    ]


def test_an_ask_to_include_more_is_the_owner_of_what_it_adds_to(router):
    text = (
        "Could you design webhook callbacks for parcel-locker events? Couriers poll our API "
        "every few seconds. Include signing so lockers can verify them, and a retry schedule."
    )
    assert [owner for _, owner in owners(router, text)] == ["backend_architect"] * 2


def test_whether_a_course_is_a_good_idea_weighs_doing_it_against_not():
    assert is_choice("Is that actually a good idea for us or just hype?")
    assert is_choice("Would it be wise to move the ledger to event sourcing?")
    assert not is_choice("It would be a good idea to add retries")


def test_what_it_must_do_and_how_we_will_know_it_works_is_the_pms(router):
    text = (
        "Our library wants members to renew loans from their phones. Please write down what it "
        "must do and how we'll know it's working."
    )
    assert [owner for _, owner in owners(router, text)] == ["pm"]
