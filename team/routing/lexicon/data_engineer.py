"""Plain words for the Data Engineer's card: pulling data in on a schedule, where numbers came
from.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
    (
        r"\bpull(?:ed|s)? (?:in|together) (?:\w+ ){0,3}(?:each|every) (?:day|night|morning)\b|"
        r"\binto one place\b",
        "daily ingestion data pipeline",
    ),
    (
        r"\b(?:loaded|load|brought in|imported) (?:each |every )?(?:daily|nightly|day|night)\b",
        "daily ingestion nightly job",
    ),
    (
        r"\b(?:in|into) (?:the )?[\w-]+ (?:daily|nightly|hourly|every (?:day|night|hour))\b",
        "ingestion nightly job",
    ),
    # a table or report "refreshed every two hours", "refreshed daily": its freshness, kept by
    # a scheduled job ("stop the mart from refreshing when a check fails" says no schedule)
    (
        r"\brefreshed (?:every|each|daily|hourly|nightly|weekly)\b",
        "freshness nightly job",
    ),
    # a job's retries beside its SLA, or an alert when the SLA is missed, is the scheduler's
    # orchestration (an uptime SLA promised to a customer says neither)
    (
        r"\bretries\b[^.;?!]{0,30}?\bSLAs?\b|\bSLAs? (?:alert|miss)\w*|\balert\w* on (?:an? |the )?SLA",
        "retries SLAs orchestration",
    ),
    (
        r"\bwhich (?:\w+ )?(?:platform|source|system|file|feed) (?:each|every|the) "
        r"(?:[\w-]+ ){0,4}?came from\b|\bwhere (?:each|every) (?:[\w-]+ ){0,4}?came from\b",
        "lineage",
    ),
    (
        # "the numbers never match" is as often a definition to agree (the PM's): left out
        r"\bcounted twice in (?:the|our) (?:report|dashboard|totals)\b",
        "duplicates data quality",
    ),
    # ... but deduplicating deliveries on their event id or a key is a handler's idempotency
    (
        r"\bde-?dup\w*\b(?! (?:on|by) (?:the )?(?:[\w-]+ )?(?:event|message|request|delivery|idempotency)"
        r" ?(?:ids?|keys?)\b| keys?\b)",
        "deduplicate duplicates",
    ),
    # old records brought into the reports, and names hidden or scrambled in analysts' copies
    (
        r"\bbring (?:in )?(?:the |our |all )?(?:old|past|historic|historical|legacy|earlier) "
        r"[\w-]+ (?:\w+ )?into\b",
        "backfill historical load",
    ),
    (
        r"\bscrambl\w*|\b(?:blank|black)(?:ed|ing)? out (?:the )?(?:names?|emails?|personal)\b|"
        r"\b(?:hide|hiding|hidden) (?:or \w+ )?(?:the )?(?:names?|emails?|phone|addresses|personal)\b",
        "PII masked",
    ),
    # a job whose rerun changes nothing ("a second run should change nothing", "running it
    # again adds nothing"): an idempotent load
    (
        r"\b(?:second|another|repeat(?:ed)?|extra) (?:run|load|import)s? (?:[\w'-]+ ){0,2}?(?:changes?|adds?"
        r"|doubles?) nothing\b|\b(?:running|loading|importing) it (?:again|twice) (?:[\w'-]+ ){0,2}?"
        r"(?:changes?|adds?|doubles?) nothing\b",
        "idempotent rerun data pipeline",
    ),
    # records put together each night into one clean list ("could the three diaries be combined
    # each night into one reliable list", "tidy all that into one proper list"): a pipeline
    (
        r"\b(?:into|in) one (?:clean|tidy|reliable|proper|single|combined|master|trusted) (?:list|record"
        r"|table|sheet|collection|file|set of (?:tables|records))\b|\b(?:combined|merged|gathered"
        r"|pulled together|brought together|joined up)\b(?: [\w'-]+){0,3}? (?:each|every) (?:night|day"
        r"|morning|week)\b",
        "data pipeline ingestion",
    ),
    # the same record copied or counted twice ("stop it copying the same sale twice", "it
    # counts every order twice"): duplicates in a load ("send the same change twice", a
    # request resent, is an API's idempotency and not read here)
    (
        r"\b(?:copying|copies|copied|counting|counts|counted|loading|loads|loaded|importing|imports"
        r"|imported|adding|adds|added|recording|records|recorded|entering|enters) (?:the same "
        r"(?:[\w-]+ ){0,2}?|each [\w-]+ |every [\w-]+ |things |rows |records |entries )?twice\b",
        "duplicates dedupe data pipeline",
    ),
    # a batch job said by when it runs ("nightly calibration export", "the nightly sales load",
    # "daily visits rollup"): a batch pipeline
    # ("a realistic morning load", "the daily load on the site" are traffic, not a job)
    (
        r"\b(?:nightly|overnight) (?:[\w-]+ ){0,2}?loads?\b|\b(?:nightly|daily|overnight|hourly"
        r"|weekly) (?:[\w-]+ ){0,2}?(?:imports?|exports?|extracts?|rollups?|roll-ups?)\b",
        "batch data pipeline load",
    ),
    # safe to run again ("rollup rerun-safe", "safe to rerun"): an idempotent job
    (
        r"\b(?:rerun|re-run)[\s-]safe\b|\bsafe to (?:rerun|re-run)\b",
        "idempotent rerun data pipeline",
    ),
    # records carried into the reports ("their orders carried into our sales reports every
    # night", "wants them in her reporting tool every morning"): reporting data loaded
    (
        r"\b(?:carried|copied|loaded|fed|brought|pulled|pushed|landed) (?:[\w'-]+ ){0,2}?into (?:our "
        r"|the |their )?(?:[\w-]+ )?(?:reports?|reporting|warehouse|dashboards?)\b|\bin(?:to)? (?:our"
        r"|her|his|their|the) reporting (?:tool|system|sheet|software|app)\b",
        "ingestion reporting warehouse",
    ),
    # a source that sends nothing ("warn me if one of them sends nothing"): data freshness
    (
        r"\b(?:sends?|sent|uploads?|uploaded) nothing\b|\bnothing (?:arrives|arrived|comes in|came in)\b",
        "data freshness checks",
    ),
    # records copied to someone each evening ("all our dispatches copied across to them each
    # evening"), gathered into one list by when ("every review collected into one list each
    # morning"), and a copy that survives failing halfway ("even if something goes wrong
    # halfway"): a batch load, rerun-safe
    (
        r"\b(?:copied|copy|copies|exported?|delivered) (?:across |over )?to (?:them|him|her|(?:each"
        r"|every|their) [\w'’-]+|the (?!cloud|server|disk|drive|backup)[\w'’-]+) (?:each|every)"
        r" (?:evening|night|morning|day|hour)\b|\b(?:collected"
        r"|gathered|pulled|brought|combined|merged) (?:[\w'’-]+ ){0,2}?(?:into|in) one (?:list"
        r"|place|table|sheet|spreadsheet|file|store|view)\b",
        "batch data pipeline load",
    ),
    (
        r"\beven if (?:something|anything|it|the [\w-]+) (?:goes wrong|fails|breaks|stops|crashes"
        r"|dies) (?:halfway|half-way|part-way|partway|midway|in the middle)\b",
        "idempotent rerun data pipeline",
    ),
    # a source that falls quiet ("flags farms whose probes go silent"): freshness
    (
        r"\b(?:go|goes|gone|went|going|fall|falls|fell) (?:silent|quiet)\b",
        "data freshness checks",
    ),
    # routing round 43: records brought or gathered into one list ("bring all the registers
    # together into one list", "gather all three into one list every day"), and only the new
    # days added ("changed so it only adds the new days"): a load, and an incremental one
    (
        r"\b(?:gather|bring|brought|pull|pulled|collect)\w* (?:[\w'’-]+ ){0,4}?(?:together )?into one "
        r"(?:list|table|sheet|spreadsheet|file)\b",
        "batch data pipeline load",
    ),
    (
        r"\bonly (?:adds?|loads?|cop(?:y|ies)|pulls?|fetch(?:es)?|brings?) (?:in )?the new (?:days"
        r"|rows|records|entries|orders|sales|readings|files)\b",
        "incremental load data pipeline",
    ),
    # routing round 44: records landed in the warehouse ("the job that lands the click events in
    # the warehouse"), and gathered into a proper store or put together in one place on a
    # schedule ("gathered into a proper store each night", "put together in one place every
    # day"): a load into the warehouse, a batch pipeline
    (
        r"\b(?:land|lands|landing|landed) (?:the |our |their |all )?(?:[\w'’-]+ ){0,2}?(?:events|records"
        r"|rows|files|data|logs|readings|messages|clicks|feeds?|exports?) (?:in|into) (?:the |our )"
        r"(?:data )?(?:warehouse|lake|lakehouse)\b",
        "ingestion data pipeline load warehouse",
    ),
    (
        r"\b(?:gathered|collected|pulled|loaded|copied|stored|put) (?:together )?(?:[\w'’-]+ ){0,2}?"
        r"(?:in|into) (?:a |one |the )(?:proper |central |single |shared |real )?(?:store|database"
        r"|table|place|warehouse) (?:each|every|once a) (?:night|day|morning|evening|hour|week)\b",
        "batch data pipeline load",
    ),
    # routing round 46: records brought over into a sheet or store automatically on a schedule
    # ("the orders be brought over into it automatically every night"), and numbers pulled
    # together automatically from several sources ("pulling together automatically from the
    # tills and the web shop", "would need pulling together in one place"): a batch load
    (
        r"\b(?:brought|copied|carried|moved|pulled|fed|taken) (?:over |across )?(?:into|to)"
        r" (?:[\w'’-]+ ){0,3}?(?:automatically )?(?:every|each|once a) (?:night|day|morning|evening"
        r"|week|hour)\b"
        r"|\bpull(?:s|ed|ing)? together (?:automatically (?:from|in)|in(?:to)? one place)\b",
        "batch data pipeline load",
    ),
    # routing round 47: only the new and changed records added instead of reloading all from
    # scratch: an incremental load; records that flow over by themselves on a schedule: a batch
    # load; history that must come across without losing anything: a migration reconciled
    # against the source; a copy with the names removed: PII masked
    (
        r"\b(?:it|they|the (?:load|copy|job|import|sync)) (?:could |can |should |would )?(?:just |only"
        r" )(?:add|load|copy|bring|pull|take)s? (?:in |over )?(?:the )?new (?:and|or|&) (?:changed"
        r"|updated)\b|\breloads? (?:all|everything|the whole|every)\b(?: [\w'’-]+){0,4}? from scratch\b",
        "incremental load data pipeline",
    ),
    (
        r"\b(?:flow|flows|go|goes|come|comes)(?: over| across)? (?:by (?:themselves|itself)"
        r"|automatically|on (?:their|its) own) (?:into|to) (?:[\w'’-]+ ){0,4}?(?:each|every|once a)"
        r" (?:night|day|morning|evening|week|hour|month)\b",
        "batch data pipeline load",
    ),
    (
        r"\b(?:history|records|data|orders|bookings|files|accounts)\b (?:(?:needs?|has|have) to"
        r" |must |should |to )?(?:come|be (?:brought|moved|copied|carried)) (?:over|across) without"
        r" (?:losing|dropping|missing)\b",
        "data migration reconcile row counts",
    ),
    (
        r"\bwith (?:the )?(?:[\w-]+ )?(?:names?|emails?|addresses|phone numbers|personal details)"
        r" (?:removed|stripped|taken out|left out|cut out)\b",
        "PII masked",
    ),
    # routing round 48: records gathered, brought together or combined in one place ("gather
    # five years of counts into one tidy place", "all three brought together automatically"):
    # a batch load ("into one place" alone already reads as a daily load; logs gathered in one
    # place are the DevOps Engineer's); shorthand arrows into a store ("gps pings -> kafka ->
    # lake"): a pipeline; a table's grain said ("grain = one bolt"); records that appear twice or
    # with no date, caught: data quality checks; totals worked out overnight and stored: a batch
    # aggregate; a fill of the older seasons matched to published totals: a backfill reconciled
    (
        r"\b(?:gather|gathered|gathering|collect|collected|combine|combined|combining|bring|brought"
        r"|bringing|put|pull|pulled)\b(?:(?! (?:logs?|log files|metrics|alerts|errors)\b)"
        r" [\w'’,-]+){0,10}? (?:together )?(?:in one"
        r"|into one(?! place\b)) (?:tidy |single |clean |proper |central )?(?:place|table|list|sheet)\b"
        r"|\bbrought together automatically\b|\bcombined automatically\b",
        "batch data pipeline load",
    ),
    (
        r"\b[\w-]+ ?(?:->|→|=>) ?(?:[\w-]+ ?(?:->|→|=>) ?)*(?:lake|lakehouse|warehouse|dwh|mart"
        r"|snowflake|bigquery|redshift|s3|kafka|delta|parquet)\b",
        "data pipeline ingestion",
    ),
    (r"\bgrain ?(?:=|:|is|of) (?:one|1|a single|per)\b", "grain fact table"),
    # records with no record they belong to ("find hours with no family"): referential integrity
    (
        r"\b(?:find|finds|finding|flag|flags|spot|spots|catch|catches)\b (?:the |any )?(?:[\w'’-]+ )?"
        r"(?:hours|rows|records|orders|bookings|payments|invoices|entries|sales|jobs|visits|shifts"
        r"|readings) with no (?:[\w'’-]+ )?(?:family|customer|client|owner|order|booking|invoice"
        r"|account|parent|match|member|patient)\b",
        "data quality referential integrity",
    ),
    # numbers ready by morning: a freshness promise for a nightly job
    (
        r"\b(?:numbers|figures|totals|reports?|dashboards?) (?:are|is) ready (?:by |the |each |every )?"
        r"(?:next )?(?:morning|first thing)\b",
        "freshness nightly job",
    ),
    (
        r"\b(?:appear|appears|show up|shows up|come in|comes in|turn up|turns up|are entered|is"
        r" entered|get entered|gets entered) twice\b|\btwice or (?:with no|without (?:a |an )?"
        r"|missing (?:a |an |the |their )?)[\w-]+",
        "duplicates data quality",
    ),
    (
        r"\b(?:totals|figures|sums|counts|numbers|summaries) (?:could |can |should |would |to )?"
        r"(?:be )?(?:worked out|calculated|computed|added up|tallied|prepared) (?:overnight|each"
        r" night|every night|nightly|in advance|ahead of time)\b",
        "batch data pipeline load",
    ),
    (
        r"\ba (?:fill|back-?fill|load) of (?:the )?(?:older|earlier|past|previous|old|missing)"
        r" (?:seasons|years|months|records|data|history)\b",
        "backfill historical load",
    ),
    (
        r"\bmatched (?:up )?(?:to|against|with) the (?:totals|figures|counts|numbers) (?:the|our"
        r"|their) (?:[\w'’-]+ ){0,2}?(?:already )?(?:published|reported|has|have|holds?)\b",
        "data migration reconcile row counts",
    ),
)
