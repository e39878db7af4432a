"""Asks as routing round 43 found them read.

Other organisations' programs said by whose they are (the garages' software can ask for the
parts), a way in given or built for them, their systems sending things straight into ours, a
server that offers a way to fetch things, an HTTP method in capitals, not taking the same thing
twice when it is sent again (Backend). Told the next time it goes down, new versions put live
(DevOps). Records brought together into one list, only the new days added (Data). Which of the
wished-for things is done first, what the first version holds (PM). Notes sorted into types on
their own, things flagged as often as they should be, a model named by what it warns of,
a smaller model that keeps the current one's hits (ML). How the parts hang together (System
Architect), which is not a stall. Each is read as the card words it means
(``team.routing.lexicon``), and a text that uses the same words in another sense is not.
"""

from __future__ import annotations

from helpers import explained_owners

from team.routing.lexicon import card_words

SAID = [
    ("the garages' software can ask for the parts it needs", "API endpoints integration"),
    ("the clinics' booking systems should fetch our free slots", "API endpoints integration"),
    ("give them a secure way in for their own invoices", "API endpoints integration"),
    ("build the way in for the dealers", "API endpoints integration"),
    ("a way for the chemist's website to ask ours for stock", "API endpoints integration"),
    (
        "the service should offer a way to fetch all the invoices at once",
        "API endpoints integration",
    ),
    ("their till software sends each sale straight into our ledger", "API endpoints integration"),
    ("change the delete call to a PATCH", "API endpoints request"),
    ("it must not accept the same booking twice when their app retries", "idempotency retries"),
    ("we want to be told at once when the booking site goes down", "alerting monitoring on-call"),
    ("the manager gets texted the moment the shop crashes", "alerting monitoring on-call"),
    ("a calmer way of putting new releases live", "CI/CD deploy pipeline"),
    ("bring the three rotas together into one spreadsheet", "batch data pipeline load"),
    ("gather every branch's returns into one table each night", "batch data pipeline load"),
    ("make the import only load the new readings", "incremental load data pipeline"),
    ("agree which of the requests from the shops we tackle first", "prioritization priorities"),
    ("decide what's in the first version of the portal", "scope MVP prioritization"),
    ("what the first version should include", "scope MVP prioritization"),
    ("each email tagged into the five query types automatically", "classification model"),
    ("are the worn tyres flagged as often as they should be", "model recall evaluation"),
    ("our stock warning model", "ML model predictions"),
    (
        "a smaller ranking model that keeps most of the old one's accuracy",
        "model compression accuracy",
    ),
    ("sketch how the ordering pieces fit together", "architecture diagram components"),
]

# The same words in other senses: none of these says the card words.
UNSAID = [
    ("the nurses' rota sends the new starters to ward five", "API endpoints integration"),
    ("a ramp to give wheelchairs a new way in", "API endpoints integration"),
    ("the post arrives at noon", "API endpoints request"),
    ("please post the flyers to every school", "API endpoints request"),
    ("he was told about it when the lift stopped", "alerting monitoring on-call"),
    ("put the new posters live on the board", "CI/CD deploy pipeline"),
    ("put the winners into one photo for the newsletter", "batch data pipeline load"),
    ("only the new staff bring their own lunch", "incremental load data pipeline"),
    ("which of the players scored first", "prioritization priorities"),
    ("the first version of the leaflet had a typo", "scope MVP prioritization"),
    ("the parcels sorted into the vans by hand", "classification model"),
    ("a model railway that shows the old lines", "ML model predictions"),
    ("a smaller model of the boat that still floats", "model compression accuracy"),
    ("the till hangs for a minute at closing", "architecture diagram components"),
]


# Whole requests in plain words: the last ask goes to its owner.
PLAIN = [
    (
        "We run a coach company. The website went down twice last week; we want to be told"
        " straight away next time it goes down.",
        "devops_engineer",
    ),
    (
        "We make garden sheds. Customers write in with complaints; we would like each note"
        " sorted into the complaint categories automatically.",
        "ml_engineer",
    ),
    (
        "We rent out scaffolding. The builders' software should be able to ask ours for what"
        " is free next week; give them a proper way in.",
        "backend_architect",
    ),
]


def test_a_text_says_the_card_words_it_means() -> None:
    assert [(text, words) for text, words in SAID if words not in card_words(text)] == []


def test_the_same_words_in_another_sense_say_nothing() -> None:
    assert [(text, words) for text, words in UNSAID if words in card_words(text)] == []


def test_how_it_hangs_together_is_no_stall() -> None:
    assert "hangs blocking calls" not in card_words("draw how it all hangs together")
    assert "hangs blocking calls" in card_words("the export hangs for a minute")


def test_plain_requests_go_to_the_owner(reading: str) -> None:
    assert [(text, owner) for text, owner in PLAIN if explained_owners(text)[-1] != owner] == []
