"""Words: the stems routing counts, their bigrams, and whether a text weighs alternatives.

How a request is cut into asks and context is ``team.routing.clauses``.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Callable

import snowballstemmer

from team.routing.lexicon import card_words

__all__ = ["CHOICE", "features", "is_choice", "slips", "stems", "words"]

# Function words carry no signal about who owns the work ("whether", "asks", "need"), nor does
# "teh", "the" as it is often typed ("rerun teh eval" is an evaluation to rerun).
_STOP = frozenset(
    """a an and are as at be been being but by can could do does for from has have how i if in
    into is it its me my need needs needed of on or our please should so some that the their
    them then there these this those to up us was we what when where which while who why will
    with would you your get got make made want wants help also just any all more most very
    across other another one two each every new using use used via per than like about over
    after before out it's let lets we're i'm don't can't they them what do did done first
    now still someone somebody anyone nobody everyone thing things here whether ask asks asked
    asking must has had having am were go going goes gone know knows think able sure really
    quite both either neither because since though although until yet already too much many
    few same such only way ways around right well something anything everything whatever
    i'd we'd we'll i'll you'll it'll that's there's isn't aren't doesn't didn't won't wont
    pls plz thx thanks hey hi hello ok okay guys team folks once twice own lay turn give put take
    takes took come look kick spin figure pick bring tell talk send draw teh""".split()  # noqa: SIM905
)
_ALIASES = {
    "k8s": "kubernetes",
    "kube": "kubernetes",
    "ai": "ml",
    "apis": "api",
    "endpoint": "api",
    "endpoints": "api",
    "rest": "api",
    "graphql": "api",
    "grpc": "api",
    "db": "database",
    "postgres": "database",
    "postgresql": "database",
    "mysql": "database",
    "p95": "latency",
    "p99": "latency",
    "p50": "latency",
    "slow": "latency",
    "slower": "latency",
    "faster": "latency",
    "crawls": "latency",
    "crawled": "latency",
    "crawling": "latency",
    "qps": "throughput",
    "rps": "throughput",
    "elt": "etl",
    "eval": "evaluation",
    "evals": "evaluation",
    "tf": "terraform",
    "gpus": "gpu",
    "deadline": "timeline",
    "stakeholders": "stakeholder",
    # shorthand: "baseline fcst", "staging env", "export dups rows"
    "fcst": "forecast",
    "fcsts": "forecast",
    "env": "environment",
    "envs": "environments",
    "dups": "duplicates",
    "dupes": "duplicates",
}

_LOCAL = threading.local()  # a snowball stemmer keeps state while it works: one per thread


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(_ALIASES.get(word, word)))


_DURATION = re.compile(r"^\d+(?:ms|s|sec|secs)$")
# "a page at a time", "one store at a time" say how many go together, not how long anything takes
_AT_A_TIME = re.compile(r"\bat (?:a|one) time\b")


def words(text: str) -> list[str]:
    """The content words of a text, lower case, in order ("800ms" reads as "latency", "at a
    time" as nothing).

    Example:
        >>> words("show them a page at a time")
        ['show', 'page']
    """
    said = _AT_A_TIME.sub(" ", text.lower())
    found = (w.strip("'") for w in re.findall(r"[a-z0-9][a-z0-9']*", said))
    return [
        "latency" if _DURATION.match(w) else w for w in found if w not in _STOP and not w.isdigit()
    ]


def stems(text: str, *, spell: Callable[[str], str] | None = None) -> list[str]:
    """Content-word stems of a text, in order; ``spell`` corrects a word first.

    Example:
        >>> stems("Training pipelines for the models")
        ['train', 'pipelin', 'model']
    """
    return [_stem(spell(w) if spell else w) for w in words(text)]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def slips(word: str) -> list[str]:
    """The words ``word`` may be a slip of the fingers for: two neighbouring letters swapped
    ("endpiont"), a letter left out after the first ("pipline"), a key struck twice
    ("inferrence"), a British "-ise"; a possessive is read without its "'s".

    A different letter in place of one ("auction" for "action", "charging" for "changing") or one
    letter too many ("county", "tablet") is how most real words differ from card words, not a
    slip: those are not offered.

    Example:
        >>> "endpoint" in slips("endpiont"), "pipeline" in slips("pipline")
        (True, True)
        >>> "action" in slips("auction"), "changing" in slips("charging")
        (False, False)
    """
    found: list[str] = []
    base = word.removesuffix("'s")
    if base != word:
        found.append(base)
    if len(base) >= SLIP_MIN:
        found += [base[:i] + base[i + 1] + base[i] + base[i + 2 :] for i in range(len(base) - 1)]
        found += [base[:i] + c + base[i:] for i in range(1, len(base) + 1) for c in _LETTERS]
        found += [base[:i] + base[i + 1 :] for i in range(1, len(base)) if base[i] == base[i - 1]]
        found += [base[:i] + "z" + base[i + 1 :] for i in range(len(base)) if base[i] == "s"]
    return [w for w in dict.fromkeys(found) if w != word]


# A shorter word is more often another real word than a slip ("sprit" is not "spirit").
SLIP_MIN = 6


# A question that weighs alternatives ("should we keep X or move to Y", "X vs Y"): who owns it
# depends on what is weighed, so it is a feature of its own, learnt like any other.
_CHOICE = re.compile(
    r"\b(?:should|do|does|would|could|can|whether|which|go with|keep|stay)\b[^.?!;]*?"
    r"\b(?:or|vs\.?|versus)\b|\b(?:vs\.?|versus)\b"
    # a question that lists its options ("sharded Postgres, a column store, or something else?")
    r"|,\s+or\b[^.?!;]*\?\s*$"
    # a question that asks which of several should be picked ("which store should back it")
    r"|\bwhich\s+(?:[\w-]+\s+)?(?:we\s+)?should\b"
    # a bare question of two named options ("Rust or Go for the new route planner?")
    r"|^\W*[\w.+#-]+(?:\s+[\w.+#-]+)?\s+or\s+[\w.+#-]+(?:\s+[\w.+#-]+)?"
    r"(?:\s+(?:for|in|on|as)\b[^?]*)?\?\s*$",
    re.IGNORECASE,
)
CHOICE = "?choice"
# A yes/no question about a course to take ("Should we break it up", "is it time to split the
# data", "do we need event sourcing", "is serverless still the right fit") weighs doing it
# against not: a choice too.
_WHETHER_TO = re.compile(
    r"^\W*(?:(?:and|so|but|then|also|separately|longer term|long term)\W+)*"
    r"(?:should\s+(?!i\b)\w+|is\s+it\s+time\s+to|is\s+now\s+the\s+(?:right\s+)?(?:moment|time)\s+to|do\s+we\s+(?:even\s+|really\s+|still\s+)?need"
    r"|(?:does|would)\s+it\s+(?:still\s+)?make\s+sense"
    r"|is\s+(?:[\w-]+\s+){0,4}?(?:still\s+)?the\s+right\s+(?:fit|choice|call|approach|tool)"
    # "is that actually a good idea for us", "would it be wise": doing it against not
    r"|(?:is|would)\s+(?:that|it|this)\s+(?:be\s+)?(?:actually\s+|really\s+|even\s+)?"
    r"(?:a\s+good\s+idea|wise|smart))\b",
    re.IGNORECASE,
)
# ... but how well something does for two groups ("performs for rural vs urban clinics",
# "accuracy across new vs returning users") is measured, not chosen.
_GROUPS = re.compile(
    r"\b(?:perform\w*|does|do|doing|scores?|accuracy|precision|recall)\s+(?:\w+\s+){0,3}?"
    r"(?:for|among|between|across|on|in)\s+(?:[\w-]+\s+){0,2}?[\w-]+\s+(?:vs\.?|versus)\s+",
    re.IGNORECASE,
)

# ... and an ask that opens on measuring ("Measure how much of it is inference versus our code",
# "break down where the time goes, lookups vs the model") asks for a split, not a choice.
_MEASURE = re.compile(
    r"^\W*(?:(?:and|so|then|also|please|first|now)\W+)*"
    r"(?:measure|quantify|profile|benchmark|break\s+down|time)\b",
    re.IGNORECASE,
)


# "..., or is that a pipe dream?", "or are we kidding ourselves": a doubt about the one option
# asked about, not a second option.
_DOUBT = re.compile(r",?\s+or\s+(?:are\s+we|is\s+(?:that|this|it)|am\s+i)\b.*$", re.IGNORECASE)


def features(text: str, *, spell: Callable[[str], str] | None = None) -> list[str]:
    """Stems, adjacent-stem bigrams and ``CHOICE`` for a choice: what a text is scored on.

    Example:
        >>> features("Should we use Kafka or Kinesis?")[-2:]
        ['kafka kinesi', '?choice']
        >>> features("Should we keep Kafka or move to Kinesis?")[-3:-1]  # plain words for a choice
        ['architectur decis', 'decis record']
    """
    tokens = stems(text, spell=spell)
    bigrams = [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    for said in card_words(text):  # plain words read as the card words they mean
        more = stems(said)
        tokens += more
        bigrams += [f"{a} {b}" for a, b in itertools.pairwise(more)]
    return tokens + bigrams + ([CHOICE] if is_choice(text) else [])


def is_choice(text: str) -> bool:
    """Whether ``text`` weighs alternatives (a handoff criterion about "a technology choice"
    fits it).

    Example:
        >>> is_choice("Postgres vs DynamoDB?"), is_choice("Add retries or a dead-letter queue")
        (True, False)
        >>> is_choice("Check how the model performs for rural vs urban clinics")
        False
        >>> is_choice("Should we split the billing module out?"), is_choice("it should retry")
        (True, False)
    """
    if _MEASURE.match(text):
        return False
    weighed = _GROUPS.sub(" ", _DOUBT.sub("", text))
    return _CHOICE.search(weighed) is not None or _WHETHER_TO.match(text) is not None
