"""Plain words for the Performance Engineer's card: load, capacity, where it breaks, where the
time goes.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
    # ... coping counted ("how many people at once it can cope with", "copes with 2,000
    # students", "that many", "ten times normal visitors", the rush): what it copes with is a
    # crowd. Coping with a new layout, late uploads, another system's outages, several
    # currencies or "cases that big" is the work's robustness or design, not its load
    (
        r"\bhow (?:much|many) (?:[\w-]+ ){0,6}?cop(?:e|es|ing)\b|"
        r"\bcop(?:e|es|ing) with (?:[\w,-]+ ){0,3}?(?:\d|(?:that|so|this) many\b|(?:\w+ )?times "
        r"(?:normal|the|as|our|more|usual)\b|(?:the |a )?(?:crowds?|rush|peak|traffic|load|surge"
        r"|spike)\b)|\bcop(?:e|es)\b(?! with\b)",
        "load test capacity",
    ),
    # how much it can take is its capacity, whatever "it" is: "check how much traffic it really
    # handles today", "how many students at once it can take", "test whether the site holds up"
    (
        r"\bhow (?:much|many) (?:[\w-]+ ){0,3}?(?:it|they|the [\w-]+) (?:can |could |really "
        r"|actually )?(?:handles?|takes?|serves?|supports?|cope with)\b"
        r"|\b(?:whether|if) (?:it|the [\w-]+) (?:holds? up|can (?:take|handle))\b",
        "load test capacity",
    ),
    (
        # (a warning or alert before it falls over is an alert, not a breaking point)
        r"(?<!warning )(?<!alert )(?<!warned )(?<!alerted )"
        r"\b(?:before|until|till|where|when|at what point) (?:it|they|things|the [\w-]+) "
        r"(?:falls?|fell|starts? to fall) over\b",
        "load test breaking point",
    ),
    (
        r"\b(?:got|gets|getting|has got|became|become) (?:\w+ )?slow(?:er)?\b|\bslowed (?:down|right down)\b",
        "slowness response time",
    ),
    (r"\b(?:breaks?|give[s]? out|fails?) first\b", "breaking point bottleneck"),
    # made-up traffic to test with is a load test's ("test it with pretend runners")
    (
        r"\b(?:pretend|fake|made-up|simulated|dummy|robot) (?:\w+ )?(?:users|runners|visitors|"
        r"players|customers|shoppers|fans|traffic|crowds?)\b",
        "load test synthetic users",
    ),
    # "see what it can really take", "find out what the site can handle": its capacity
    (
        r"\bwhat (?:it|they|the [\w-]+) (?:can|could) (?:really |actually |safely )?"
        r"(?:handle|take|cope with)\b",
        "load test capacity",
    ),
    (r"\bhow many (?:more )?(?:servers|machines|instances|boxes)\b", "capacity headroom"),
    (
        r"\b(?:that|this|so) many (?:people|users|visitors|players|customers|shoppers|fans)\b",
        "concurrent users",
    ),
    (
        r"\beating (?:the |all the |our )?time\b|\bwhere (?:the|those|that|all the) "
        r"(?:[\w-]+ )?(?:seconds|time|minutes) (?:go|goes|is going)\b|\btakes? (?:ages|forever)\b",
        "profiling latency",
    ),
    # a crowd counted ("whenever more than a few hundred people tune in") is the load it must take
    (
        r"\b(?:more than|over|above|beyond) (?:a few |several )?(?:\d[\d,]*|hundreds?|thousands?|"
        r"a hundred|a thousand)(?: \w+)? (?:people|users|visitors|viewers|players|customers|"
        r"listeners|shoppers|fans|parents|students)\b",
        "concurrent users load test",
    ),
    (r"\bwait(?:s|ing)? (?:on|for) each other\b|\bblock(?:s|ing)? each other\b", "lock contention"),
    # "hangs for seconds" is a stall; "doesn't hang the barrier" is what a fix must not do, and
    # "hanging kits" or "freezing weather" (routing round 44) name things and weather, not stalls
    (
        r"\b(?:hangs|hanging|freezes|freezing|froze)\b(?! (?:the|a|an|our|up|together)\b)"
        r"(?! (?:kits?|baskets?|rails?|hooks?|signs?|lights?|shelves|plants?|files?|systems?"
        r"|weather|temperatures?|cold|conditions|fog|rain|drizzle|point|nights?|mornings?|days?"
        r"|roads?|winters?)\b)",
        "hangs blocking calls",
    ),
    (
        r"\b(?:everyone|everybody|all of them|thousands) (?:\w+ ){0,3}at once\b|\bgrinds? to a halt\b",
        "concurrent users saturation",
    ),
    (
        r"\b(?:\d+|several|a few|ten|twenty|thirty) seconds? (?:or more )?(?:to|before it) "
        r"(?:load|open|show|appear|respond|come up)\b|\bspinning wheel\b",
        "response time latency",
    ),
    # the service tried at the crowd a day brings ("the preview app tested at show-day crowd
    # size", "benchmarked at launch-day traffic", "20,000 pretend ticket scans in ten
    # minutes"): a load test
    (
        r"\b(?:tested|benchmarked|tried|checked|rehearsed) (?:at|with|under|against) (?:[\w'-]+ ){0,3}?"
        r"(?:crowds?|crowd size|traffic|load|rush|visitors|volumes?)\b|\b(?:pretend|fake|dummy"
        r"|simulated|made-up) (?:[\w-]+ )?(?:scans|visitors|users|customers|orders|requests|shoppers"
        r"|logins|bookings|players)\b",
        "load test",
    ),
    # a site said to crawl or hang under a rush ("the site crawls at lunchtime", "till sync
    # hangs under lunch rush"): latency under load
    (
        r"\b(?:site|app|page|pages|system|shop|till|tills|sync|server|checkout) (?:[\w-]+ )?"
        r"(?:crawls|crawling)\b|\bhangs? (?:under|during|at) (?:the )?(?:[\w-]+ )?(?:rush|peak)\b",
        "latency slow bottleneck",
    ),
    # a limit on how much it may use, checked on each build ("a limit on how much memory it may
    # use, checked on every build"): a performance budget
    (
        r"\b(?:limit|budget|cap|ceiling) on how (?:much|big|large|heavy|slow) (?:[\w'-]+ ){0,3}?"
        r"(?:may|can|should|is allowed to|it's allowed to) (?:use|take|weigh|grow)\b",
        "performance budget",
    ),
    # slow said plainly ("the checkout goes very sluggish"), memory profiled, where the time goes
    # ("measure where the matching spends its time"), and how it holds up when many come at once
    (
        r"\bsluggish\b",
        "slowness response time",
    ),
    (
        r"\bmemory[- ]profil\w*|\bprofil\w* (?:its |the )?memory\b",
        "profiling memory",
    ),
    (
        r"\bwhere (?:[\w'’-]+ ){0,3}?spends? (?:its|the|their|most of its|all its) time\b",
        "profiling latency",
    ),
    (
        r"\bhow (?:[\w'’-]+ ){0,5}?holds? up (?:when|under|with|if)\b",
        "load test concurrent users",
    ),
    # routing round 45: how many it can answer at once ("whether the quote tool can answer 200
    # quotes at once"), and a performance budget said in shorthand ("perf budget p95 < 1s")
    (
        r"\bcan (?:answer|take|handle|serve|process|manage|cope with|deal with) (?:about |up to "
        r"|over )?(?:\d[\d,]*|how many|that many|so many) (?:[\w'’-]+ ){0,2}?at once\b",
        "load test concurrent users",
    ),
    (r"\bperf(?:ormance)? budgets?\b", "performance budget"),
    # routing round 46: a path or call profiled ("profile the serving path"), a query's
    # explain plan in shorthand, and whether the site copes when everyone orders at once
    # ("check whether the site can really do that when all 900 branches order on a Monday")
    (
        r"\bprofil(?:e|es|ed|ing) (?:the |our |its |that )?(?:[\w-]+ )?(?:path|endpoint|query"
        r"|queries|service|request|requests|handler|call|calls)\b|\bexplain (?:plan|analyze|analyse)\b",
        "profiling latency",
    ),
    (
        r"\b(?:whether|if) (?:the |our |my )?(?:site|app|system|shop|website|server)s? (?:can|could"
        r"|will) (?:really )?(?:do|handle|cope with|manage|take) (?:that|it|this)? ?when (?:all"
        r" )?(?:\d[\d,]*|[\w-]+) [\w'’-]+ (?:order|log in|visit|book|buy|use it|arrive)\b",
        "load test concurrent users",
    ),
    # routing round 47: a check that something stays fast when it is busiest ("a check that
    # bookings stay fast on Saturday mornings"): a load test of its response time
    (
        r"\b(?:check|test|make sure|ensure|confirm)\w* (?:that )?(?:[\w'’-]+ ){1,3}?(?:stays?|remains?"
        r"|keeps?|is still|are still) (?:fast|quick|responsive|snappy)\b",
        "load test response time",
    ),
    # routing round 48: where it is losing or spending its time (profiling), what gives way
    # first (a breaking point)
    (
        r"\bwhere (?:it's|it is|it’s|the [\w-]+ is|they're|they are) (?:losing|spending|wasting)"
        r" (?:its |the |their )?time\b",
        "profiling latency",
    ),
    (r"\bwhat gives way first\b", "load test breaking point"),
    # how many it holds before it fails (capacity), a slowdown traced to the code (profiling)
    (
        r"\bhow many [\w'’-]+ (?:the (?:site|app|system|page|server)|it) (?:holds|copes with|can take"
        r"|handles|can handle) before it (?:fails|breaks|falls over|slows)\b",
        "load test capacity",
    ),
    (
        r"\b(?:slowdown|slowness|delay|lag)s? traced to the (?:query|code|line|function|call)\b",
        "profiling latency",
    ),
)
