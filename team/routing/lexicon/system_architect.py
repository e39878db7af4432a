"""Plain words for the System Architect's card: splitting for growth, buying versus building.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
    (r"\b(?:call(?:s|ing)?|talk(?:s|ing)? to) each other\b", "coupling"),
    (
        r"\bsplit (?:[\w-]+ ){0,2}out\b|\bbreak (?:it|them|[\w-]+) (?:up|apart)\b|"
        r"\binto (?:its|their) own (?:service|app|system)s?\b",
        "service boundaries split the monolith",
    ),
    (
        r"\bsplit (?:\w+ ){0,2}across (?:\w+ )?(?:databases|servers|machines|regions)\b",
        "sharding scalability strategy",
    ),
    (
        r"\boff-the-shelf\b|\breplace (?:our |the )?(?:home-?grown|in-house)\b",
        "build versus buy vendor choice",
    ),
    # a choice between two ways, stores or platforms ("choose between a lakehouse and a plain
    # warehouse", "keep running our own Kafka or move to the managed one"): a technology choice,
    # whichever card knows the stores named
    (
        r"\b(?:choose|choosing|pick|picking|decide|deciding)(?: [\w-]+)? between\b|"
        r"\b(?:keep|stay|staying)\b[^.?!;]{0,60}?\bor (?:move|moving|switch|switching|migrate"
        r"|migrating|go|going) (?:\w+ ){0,3}?to\b",
        "technology choice architecture decision record",
    ),
    # a move made in steps that keeps the system running ("an incremental migration plan",
    # "a step-by-step migration", "no big-bang switch", "a strangler-style plan"): migration
    # planning; "incremental loads" are a pipeline's
    (
        r"\bincremental (?:migration|way out|path)\b|\bstep-by-step migration\b|\bstrangler\b|"
        r"\bbig[- ]bang\b",
        "incremental migration strangler fig",
    ),
    # how it is put together, rethought for the years ahead, is the overall design
    (
        r"\b(?:rethink|redesign|rework|reconsider|restructure|rearrange)\w* how (?:it|the [\w-]+|"
        r"our [\w-]+|everything|things)(?:'s| is| are| fits?| hangs?)\b|"
        r"\bhow (?:it'?s|it is|everything is|things are|the (?:whole )?[\w-]+ (?:is|are)) "
        r"(?:put together|structured|laid out|organi[sz]ed)\b",
        "architecture long-term design fits together",
    ),
    # which copy of a record wins ("which of the two customer lists wins", "which program
    # should be in charge of each kind of information"): the system of record
    (
        r"\bwhich (?:of (?:the|our) )?(?:[\w-]+ ){0,3}?(?:lists?|systems?|programs?|copies|databases?"
        r"|sources?|apps?) (?:wins|should win|is in charge|should be in charge|is the master)\b",
        "source of truth system ownership architecture",
    ),
    # what each option gives up ("with what each gives up") and a store split by country: an
    # architecture decision
    (
        r"\bwhat each (?:option |one |choice |approach )?(?:gives up|costs us|trades off)\b",
        "trade-offs architecture decision",
    ),
    (
        r"\bsplit (?:the )?(?:[\w-]+ ){0,2}?(?:store|database|db)\b (?:[\w'’-]+ ){0,2}?(?:per"
        r"|by) (?:country|region|customer|tenant|city|site)\b",
        "sharding scalability strategy",
    ),
    # routing round 43: how the parts hang together ("draw how it all hangs together today"):
    # the system's components and their diagram
    (
        r"\bhow (?:all of (?:it|them) |it all |everything |it |they |the (?:[\w-]+ ){1,2})(?:(?:should"
        r"|would|will|could|must|might) )?(?:all )?(?:hangs?|fits?) together\b",
        "architecture diagram components",
    ),
    # routing round 44: where the work runs said plainly, on the device or on a server ("whether
    # the picture should be judged on the phone itself or sent to our server", "run on the
    # customer's phone or on our own computers"): an architecture choice, whatever runs there
    (
        r"\b(?:run|runs|running|happen|happens|done|judged|processed|checked|worked out|handled"
        r"|computed|live|lives)\b (?:[\w'’-]+ ){0,2}?(?:on|inside|in) (?:[\w'’-]+ ){0,2}?(?:phones?"
        r"|devices?|tablets?|handsets?|timers?|cameras?|watch|watches|gadgets?|sensors?|units?)"
        r"(?: itself| themselves)?,? or (?:be )?(?:sent (?:off |up )?to|on|in|at) (?:a |an |our "
        r"|the |their )(?:own )?(?:[\w'’-]+ )?(?:servers?|computers?|cloud|data ?cent(?:re|er)s?)\b"
        r"|\b(?:run|runs|running|happen|happens|done|judged|processed|handled|computed)\b (?:[\w'’-]+"
        r" ){0,2}?on (?:a |an |our |the |their )(?:own )?(?:servers?|computers?|cloud),? or on (?:the"
        r" |a |their |each )?(?:[\w'’-]+ )?(?:phones?|devices?|tablets?|handsets?)\b",
        "architecture on-device or server trade-offs",
    ),
    # how the parts should be split or laid out ("how ordering, stock and the website should be
    # split", "how the system should be laid out to grow"): service boundaries and the design
    (
        r"\bhow (?:the |our )?(?:[\w'’-]+, )+(?:the |our )?[\w'’-]+,? and (?:the |our )?[\w'’-]+"
        r" (?:should|could|would|ought to|might) be (?:split|divided|separated|broken up|carved up)\b"
        r"|\bhow (?:the |our )?(?:whole )?(?:system|app|site|website|software|platform|service|code"
        r"|backend)s? (?:should|could|would|ought to|might) be (?:split|divided|separated|broken up"
        r"|laid out|structured|organi[sz]ed)\b",
        "service boundaries architecture components",
    ),
    # routing round 45: what to split, cache or copy as the system grows (a scaling plan), and
    # what would break if one part stopped, drawn as how it all links together (a map of the
    # components and their single points of failure)
    (
        r"\bwhat to (?:split|cache|copy|replicate|shard)(?:,? (?:split|cache|copy|replicate|shard))*"
        r",? (?:or|and) (?:split|cache|copy|replicate|shard)\b",
        "sharding scalability strategy",
    ),
    (
        r"\bwhat (?:would|will|else|might|could) (?:break|stop|fail|go down) (?:if|when) (?:one|any"
        r"|each) of (?:them|those|these|the [\w-]+)\b|\b(?:draw|map|sketch|picture)\w* (?:of )?how"
        r" (?:it all|they all|everything|the [\w-]+) (?:links?|connects?|fits?|hangs?) together\b",
        "architecture diagram components single point of failure",
    ),
    # routing round 48: a part split or carved out of the old application, a choice between
    # drawing on our servers and in the browser, how it all works untangled into a simpler shape,
    # a ready-made tool rather than building one
    (
        r"\bsplitting (?:[\w-]+ ){0,2}out\b|\bcarv\w* (?:[\w-]+ ){1,3}?out of (?:the |our |its )?(?:old"
        r" |legacy |existing |main |current )?(?:application|app|system|monolith|codebase|platform)\b",
        "service boundaries split the monolith",
    ),
    (
        r"\bon (?:our|the) servers? (?:instead of|rather than|or) (?:in|on) (?:the|their|each)"
        r" (?:browser|phone|device)s?\b|\bin the browser (?:instead of|rather than|or) on (?:our"
        r"|the) servers?\b",
        "architecture on-device or server trade-offs",
    ),
    (
        r"\buntangle how (?:it all|everything|it|they|the [\w-]+) (?:works?|fits?|hangs?)\b"
        r"|\bsuggest\w* (?:a )?simpler (?:shape|structure|design|architecture)\b",
        "architecture diagram components",
    ),
    (
        r"\bready-?made (?:[\w'’-]+ ){0,3}?(?:would do|will do|rather than|instead of)\b"
        r"|\brather than build(?:ing)? (?:one|our own|it ourselves)\b",
        "build versus buy vendor choice",
    ),
)
