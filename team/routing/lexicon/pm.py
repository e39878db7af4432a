"""Plain words for the PM's card: roadmaps, risks, how we'll know it worked, looking back.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
    (r"\bwhat (?:does|would|will) success look like\b", "success criteria"),
    # laying a choice out for the people who make it is the PM's, whatever is chosen
    (
        r"\bso (?:that )?(?:they|we|you|the (?:owners?|board|partners|council|trustees|directors?"
        r"|committee|management)) can (?:choose|decide|approve|sign off|pick|make the call)\b|"
        r"\b(?:put|bring|take) (?:the|that|this|those|it|a) (?:decision|choice|options?) "
        r"(?:in front of|to) (?:us|them|the)\b|\bto a (?:written |clear )?decision\b",
        "stakeholder decision sign-off",
    ),
    (
        r"\bwhat (?:the [\w-]+(?: [\w-]+)?|they|users|customers|staff|people) (?:actually|really) "
        r"(?:need|want)s?\b",
        "requirements what they actually need",
    ),
    (
        # ranking results by a score is a model's ranking, not a priority
        r"\brank (?:them|these|those|the \w+)\b(?! by (?:relevance|score|similarity|likelihood))|\bwhat (?:to do|goes|comes) first\b|"
        r"\bwhich (?:one |ones )?(?:to do|goes|come|comes) first\b|"
        # "which should come first?", "which of photos, payments and reminders goes first" (but
        # "which of those should we tackle first?" after a role's findings is that role's)
        # ("which piece goes first" of a split is the architect's: no noun between)
        r"\bwhich (?:of (?!(?:these|those|them)\b)[^?.]{1,60}? )?(?:should |would |do we |shall we |to )?"
        r"(?:we )?(?:do|goes|go|come|comes|gets?|tackle|ship|build|fix) first\b",
        "prioritize priorities backlog",
    ),
    (
        r"\bwhat (?:can|could|should|do|would|will) (?:we|that|it|they|this) (?:[\w-]+ ){0,2}?(?:drop|cut"
        r"|leave out)\b|\bwhat'?s in and what'?s out\b",
        "trade scope what do we cut",
    ),
    (r"\bwho (?:needs to |has to |should )?signs? off\b", "sign-off approval"),
    (
        r"\bwhen (?:can|could|will) (?:we|it) (?:go live|launch|be ready|open)\b",
        "realistic date timeline",
    ),
    # a date others can count on is a delivery estimate ("a date the parents can plan around")
    (
        r"\b(?:date|deadline|timeline|timescale) (?:[\w'-]+ ){0,2}?(?:can|could) (?:plan|work|count"
        r"|rely|build) (?:around|on|to)\b|\b(?:firm|realistic|reliable) (?:launch )?(?:date|deadline)\b",
        "realistic date timeline",
    ),
    # a launch, go-live, release or ship date wanted, set or agreed is the plan's date, whoever
    # wants it ("the franchisees want a launch date for loyalty points"); rows partitioned or
    # sorted "by delivery date" name a column
    (
        r"(?<!\bby )(?<!\bper )(?<!\bon )\b(?:launch|go-live|go live|release|ship|delivery) dates?\b",
        "timeline deadline",
    ),
    (r"\bwhat could go wrong\b|\bwhat might go wrong\b", "risk register"),
    (
        r"\bhow (?:we'll|we will|we'd|we would|do we|will we) know (?:it|this|if it|whether it) "
        r"(?:worked|works|succeeded)\b",
        "success criteria measure success",
    ),
    (
        r"\blook-?back\b|\bwhat worked and what didn'?t\b|\bpost-?mortem\b",
        "retrospective post-launch review",
    ),
    (
        r"\b(?:\d+|one|two|three|six|nine|twelve|eighteen)-(?:month|quarter|year) "
        r"(?:roadmap|plan)\b",
        "roadmap milestones",
    ),
    # what comes first, said as a ranking ("a ranked list of which shops to connect first",
    # "deciding which of the ten requested jobs matter most"): prioritization ("which of these
    # matters most?" after a role's findings points back to them, and stays with that role)
    (
        r"\b(?:ranked|prioriti[sz]ed|ordered) list of which\b|"
        r"\bwhich (?!of (?:these|those|them|this)\b)(?:of (?:the|our) )?"
        r"(?:[\w'-]+ ){0,5}?(?:matter|matters) most\b",
        "prioritization priorities",
    ),
    # a plan with dates ("a plan with dates the chains will sign off on"): a roadmap; the
    # order things are done in ("agree the order we fix things in", "which of the two to do
    # first"): prioritization
    (
        r"\bplan with (?:dates|milestones|deadlines|target dates)\b",
        "roadmap milestones timeline",
    ),
    (
        r"\b(?:agree|decide|set|settle) (?:on )?the order (?:we|in which|to|of)\b|\bwhich (?:of (?:the"
        r"|these|those) )?(?:two|three|four|ones?) (?:to )?(?:do|build|tackle|fund|start) first\b",
        "prioritization priorities",
    ),
    # what comes first ("agree which improvements come first this year", "agree what gets done
    # this year", "the order in which the stores get switched on"), what is needed written down
    # before building, and what counts as good enough: the PM's
    (
        r"\b(?:which|what) (?:[\w'’-]+ ){0,3}?(?:comes?|goes?|gets? done|happens?) first\b|\bwhat"
        r" gets done (?:this|next|first)\b|\bthe order in which (?:[\w'’-]+ ){1,6}?(?:get|are|will"
        r" be|should be) (?:switched on|launched|rolled out|opened|done|built|moved|tackled)\b",
        "prioritization priorities",
    ),
    (
        r"\bwrite down (?:exactly |precisely )?what (?:[\w'’-]+ ){0,3}?(?:need|needs|want|wants"
        r"|expect)\b",
        "requirements what they actually need",
    ),
    (
        r"\bagree (?:on )?what counts as\b",
        "success criteria measure success",
    ),
    # routing round 43: which of the asked-for things is done first ("agree which of the items
    # on the wish list we do first"), and what the first version holds ("what's in the first
    # version and what waits"): priorities and scope
    # ("which of those should we tackle first?", asked of the answer just given, is a follow-up
    # for the role that gave it, not a backlog to rank; "agree which of these to do first" is)
    (
        r"\bwhich (?!(?:of )?(?:those|these|them|the above) (?:should|shall|would|could|do) we\b)"
        r"(?:of )?(?:[\w'’-]+ ){0,6}?(?:we|to) "
        r"(?:do|tackle|build|start|fix) first\b",
        "prioritization priorities",
    ),
    (
        r"\bwhat(?:['’]s| is| goes| will be| should be)? in the first version\b|\b(?:the )?first "
        r"version (?:will |would |should |must )?(?:include|contain|cover)s?\b",
        "scope MVP prioritization",
    ),
    # routing round 44: the work listed by how much it matters ("a list of what we do this winter
    # in order of importance", "ranked by priority"): the PM's prioritization
    (
        r"\bin order of (?:importance|priority|priorities|what matters most)\b|\b(?:ranked|sorted"
        r"|ordered|listed) by (?:importance|priority)\b",
        "prioritization priorities",
    ),
    # routing round 45: a list of what a thing must do, each with a test that shows it is done
    # (requirements with acceptance criteria), and agreement with the owners on which goes first
    (
        r"\b(?:a |the )?list of what (?:the |our |a |this |their )?[\w'’ -]{1,40}? (?:must|should"
        r"|needs? to|has to) do\b(?=[^.;]{0,20}\beach with (?:a |its own )?(?:test|check)s?\b)",
        "requirements acceptance criteria",
    ),
    (
        r"\bagree\w* with (?:the |our |my )?(?:directors|owners|board|partners|leads|stakeholders"
        r"|founders|managers|bosses|council|trustees) on (?:which|what|who|when)\b",
        "stakeholder decision sign-off",
    ),
    # routing round 46: a retro asked for in shorthand, with owners for the actions ("retro on
    # the outage + owners for actions"; "followups from the retro" only says where work came
    # from), and a choice of what goes first between two pieces of work said "vs" ("prioritize
    # the perf fixes vs the new feature")
    (
        r"\bretros? (?:on|of|for|about)\b|\bowners? for (?:the )?actions\b|\baction items\b",
        "retrospective post-launch review",
    ),
    (
        r"\bprioriti[sz]\w* (?:[\w'’-]+ ){0,4}?(?:vs\.?|versus|against|or) (?:the )?",
        "prioritization priorities",
    ),
    # routing round 47: a choice between fixing and building something new ("decide fix vs new
    # configurator for Q4"): prioritization; whether a feature is worth building: the business case
    (
        r"\b(?:decide|choose|pick|weigh)\w* (?:between )?(?:the )?fix(?:es|ing)? (?:vs\.?|versus|or)"
        r" (?:a |the )?new\b",
        "prioritization priorities",
    ),
    (
        r"\b(?:whether|if) (?:[\w'’-]+ ){0,4}?(?:is|are|would be|'s|’s) worth (?:building|making"
        r"|developing|adding|doing)\b",
        "business case prioritization",
    ),
    # routing round 48: a plan of what gets done first and by when, or of what happens when and
    # what it costs (a roadmap with its milestones and budget); which numbers or which of these
    # matter most (success metrics, priorities)
    (
        r"\bplan of what (?:gets|will get|is|will be|happens) (?:done )?(?:first|when)\b"
        r"|\bwhat (?:gets|is|will be) done (?:first )?and by when\b",
        "roadmap milestones timeline",
    ),
    (
        r"\bwhich (?:numbers|figures|measures|metrics) (?:matter|count) most\b",
        "success criteria measure success",
    ),
    # ("which of these matters most?" alone points back at findings: the role that found them)
    (
        r"\bwhich of (?:these|them|those) matters? most (?:before|by|given|since|this|for|first)\b",
        "prioritization priorities",
    ),
    # whether fixing comes before the new thing (priorities); what it must do, agreed or written
    # up (requirements)
    (
        r"\bwhether (?:[\w'’-]+ ){1,4}?comes? (?:before|after) the new\b",
        "prioritization priorities",
    ),
    (
        r"\b(?:agree|write up|write down|spell out)\w* (?:with [^.;,]{1,30}? )?what (?:the |our )?"
        r"(?:[\w-]+ ){0,3}?(?:must|should|needs? to|has to|have to) (?:do|contain|include|show"
        r"|cover)\b",
        "requirements acceptance criteria",
    ),
)
