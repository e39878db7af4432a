"""Plain words for the Backend Architect's card: how clients talk to the system, counting once,
tables, access.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
    (
        r"\bhow (?:[\w-]+ ){0,3}?(?:they|it|apps?|partners?|clients?)(?:'d| would| will| should| could)? "
        r"(?:talk|speak|connect) to\b",
        "API contract endpoints",
    ),
    (
        r"\bwhat (?:they|it|the app|apps) (?:send|sends) and (?:get|gets) back\b",
        "request payload response",
    ),
    (
        r"\b(?:counts?|counted|recorded|lands?|charged|processed|applied|booked) "
        r"(?:only |exactly )*once\b|\bexactly once\b|\bonly (?:counts|once)\b",
        "idempotency",
    ),
    (
        r"\b(?:design|plan|lay out|sketch) the tables\b|\btables for (?:that|this|it)\b",
        "database schema",
    ),
    (
        r"\bsees? only (?:their|its|his|her) own\b|\bonly sees? (?:their|its|his|her) own\b|"
        r"\bread-only\b",
        "permissions access control",
    ),
    (
        r"\bconnect (?:our|the) [\w-]+(?: [\w-]+)? to\b|\bon (?:either|both) sides? (?:\w+ )?sync\b|"
        r"\bwire (?:up|in)\b|\bpayment (?:provider|events)\b",
        "integration third-party API",
    ),
    (
        r"\bresends?\b|\bresent\b|\b(?:sent|confirmed|submitted|clicked|charged) twice\b",
        "idempotency retries webhook",
    ),
    # one system reading another's records ("plug into our booking system", "the ticket site
    # needs to be able to look up a donor's status", "some way to send us its animals")
    (
        r"\b(?:plug|hook)(?:s|ged|ed|ging|ing)? (?:[\w'-]+ ){0,4}?(?:into|up to)\b|"
        r"\b(?:able to|can|could) look up\b|"
        r"\b(?:some|a) way (?:for (?:it|them|the [\w-]+) )?to (?:fetch|look up|send us|ask us)\b",
        "integration API endpoints",
    ),
    # an endpoint told by who calls it or what it does ("an endpoint the front-desk app can
    # call", "an endpoint for granting rewards", "an endpoint that returns three picks"), and an
    # old version's Sunset or deprecation header: the API's contract and its versioning, whatever
    # the endpoint serves
    (
        r"\bendpoints? (?:that |which )?(?:[\w-]+ ){0,3}?(?:can|could|will|would) call\b|"
        r"\bendpoints? for \w+ing\b|\bendpoints? (?:that|which) (?:returns?|lets?|accepts?|gives?"
        r"|takes?)\b",
        "new endpoints request payloads API contract",
    ),
    # a long list fetched or shown a page at a time ("show them a page at a time", "list past
    # orders page by page", "the app asks for tickets in pages"): pagination, whatever is listed
    (
        r"\b(?:a|one) page at a time\b|\bpage by page\b|\b(?:asks?|asking|fetch\w*|loads?|loading"
        r"|shows?|showing|returns?|returning|sends?|sending|lists?|listing) (?:for )?(?:[\w'-]+ ){0,3}?"
        r"in pages\b",
        "pagination paginated",
    ),
    (
        r"\b(?:sunset|deprecation)(?:/deprecation)? headers?\b|"
        r"\bdeprecation (?:warning|notice)s? (?:to|in|on) (?:the )?v\d",
        "API versioned versioning backward compatibility",
    ),
    # a way for a device or an app to send or fetch data is an API ("the tablets need a way to
    # send skips back to us", "an endpoint to push readings to", "the app needs a way to talk
    # to it", "something their systems can connect to")
    (
        r"\bendpoints? (?:to|for) (?:push|send|post|upload|fetch|pull|get|report)\w*|"
        r"\ba way for (?:the |their |our |its |each |every )?[\w-]+(?: [\w-]+)? to "
        r"(?:send|push|post|upload|fetch|pull|report|talk to|connect to)\b|"
        r"\ba way to (?:send|push|post|upload|report) (?:[\w'-]+ ){1,4}?back to us\b|"
        r"\b(?:their|partners'?|customers'?|other) systems? (?:can|could) (?:connect|plug|hook|talk)\b",
        "API endpoints integration",
    ),
    # one system's records landing in another's ("the bookings should go straight into our
    # accounts software", "send each reading into their farm system"), and card payments taken
    # through a payment company: an integration with a third party's API
    (
        r"\b(?:send|sent|sends|push|pushed|feed|fed|go|goes|went|flow|flows|land|lands|post|posted)"
        r" (?:[\w'-]+ ){0,3}?(?:straight |directly |automatically )?(?:into|in to|over to|across to"
        r"|straight to|directly to) (?:our|their|the|its|his|her) (?:[\w-]+ ){0,2}?(?:system|software"
        r"|till|tills|crm|accounts package|booking system)s?\b",
        "integration third-party API",
    ),
    (
        r"\bpay (?:by|with) (?:credit |debit )?card\b|\b(?:payment|card) (?:company|processor"
        r"|firm)\b|\btake (?:card )?payments\b",
        "payment provider integration third-party API",
    ),
    # sent so nothing is lost and each arrives once: delivery exactly once
    (
        r"\b(?:arrives?|delivered|received|goes through|sent) (?:only |exactly )*once\b|"
        r"\bnothing (?:is|gets|ever gets) lost\b",
        "idempotency retries",
    ),
    (
        r"\b(?:only|just) (?:see|sees|access|open|edit) (?:their|his|her) own\b",
        "permissions access control",
    ),
    (
        r"\bcan only (?:go to|be (?:booked|sold|taken|claimed|held) by) one\b",
        "transaction handling",
    ),
    (
        r"\b(?:can't|cannot|can not|don't|never) both (?:take|get|book|buy|claim|grab|sell|reserve)\b",
        "transaction handling business logic",
    ),
    (r"\bstay(?:s|ing)? (?:signed|logged) in\b", "session login"),
    (
        r"\blog in with (?:their )?(?:google|microsoft|apple|facebook|work|company)\b|"
        r"\bsign in with (?:their )?(?:google|microsoft|apple|facebook|work|company)\b",
        "SSO login OAuth",
    ),
    (
        r"\bonly (?:managers|admins|staff|owners|supervisors|teachers|doctors) (?:can|should|may)\b",
        "permissions access control",
    ),
    # signing in, however it is said ("work out how sign-in should work", "customers who log
    # into the app with their Google account get kicked out"): a login, not a sign-off; the
    # card's own "login" needs no entry ("days since last login" is a model's feature); logs
    # put in a store ("collect those logs in one place", "the EDR logs into the security data
    # lake") are records kept, no one signing in
    (
        r"\bsign(?:s|ed|ing)?(?:-| )in\b(?! sheets?\b)|\blog(?:s|ged|ging)?(?:-| )(?:in|into)\b(?! (?:the "
        r"|a |one |our )?(?:[\w-]+ ){0,2}?(?:warehouse|lake|mlflow|database|db|place|store)\b)",
        "login authentication",
    ),
    (r"\bsingle sign-on\b", "SSO login"),
    (
        r"\b(?:gets?|got|getting|are|is|being) (?:kicked|logged|signed) out\b",
        "session login",
    ),
    (
        r"\b(?:google|microsoft|apple|facebook) (?:account|login)s?\b|\bwith (?:their|a|your|our|an) "
        r"(?:work|company) (?:account|login)s?\b",
        "SSO login OAuth",
    ),
    # who may see or change what ("only front-desk staff allowed to see it", "check who is
    # allowed to edit them", "packers only see the jobs they're assigned to", "an editor who
    # can't see the budget"): access rules, whatever is guarded
    (
        r"\b(?:only|just) (?:[\w-]+ ){0,3}?(?:(?:should|must|will|can|may) (?:be )?)?(?:allowed|able|permitted) to (?:see|view|edit|change|open|"
        r"access)\b|\bwho (?:is |are )?(?:allowed|able|permitted) to (?:see|view|edit|change|open|"
        r"access)\b|\bonly (?:ever )?(?:see|sees|view|views|edit|edits|access) (?:[\w'-]+ ){0,3}?"
        r"(?:their|there|his|her|its) own\b|\bonly (?:see|sees|view|edit|access) (?:the )?[\w-]+ (?:they're|they are|"
        r"he's|she's|it's) (?:assigned|given|invited)\b|\b(?:who|that) (?:can't|cannot|can not|"
        r"shouldn't|mustn't) (?:see|view|edit|change)\b",
        "permissions access control",
    ),
    # "see and change only what their job needs": access by role
    (
        r"\bonly what (?:their|his|her|its|the) (?:job|role|work)s? (?:needs?|requires?)\b",
        "permissions access control",
    ),
    # what an endpoint takes, checked ("needs input validation", "accepts negative lengths",
    # "validation rules", "when the payload fails validation", "with validation of the
    # address"): input validation at the edge, not a model's validation split or set
    (
        r"\binput validation\b|\bvalidation (?:rules|errors|failures)\b|\bfails? validation\b|"
        r"\bvalidat(?:e|es|ed|ion of|ion for) (?:the |each |every |its |their )?(?:input|payload|"
        r"request|address|field|body|parameter)s?\b|\b(?:accepts?|allows?) (?:negative|invalid"
        r"|malformed|empty)\b|\b(?:add|with|needs?) (?:input )?validation\b|\bvalidated at\b",
        "input validation error codes",
    ),
    (
        r"\bpermissions? model\b|\broles?,? (?:and|&) (?:[\w-]+ )?access\b|\baccess (?:rules|levels?)\b",
        "permissions access control RBAC",
    ),
    # a way for someone else's program to look something up or put something in ("a way for the
    # other two to look up a customer", "a way to send the photo in and get the five back", "how
    # the site should let our ticket partner check seat availability from their own system")
    (
        r"\ba way for (?:the |their |our |its |each |every )?[\w-]+(?: [\w-]+)? to (?:look up|check"
        r"|query|read|see|find|get)\b|\ba way to (?:send|post|upload|put) (?:[\w'-]+ ){1,3}?in\b|"
        r"\bfrom (?:their|its|his|her) own (?:system|software|app|program)s?\b",
        "API endpoints integration",
    ),
    # only some people let in ("with only signed-in customers allowed", "who is allowed to
    # order", "members should only see the listings meant for them"): access control
    (
        r"\bonly (?:signed-in|logged-in|registered|paying|verified) [\w-]+ (?:allowed|can|may)\b|"
        r"\bwho (?:is |are )?(?:allowed|permitted) to \w+|\bonly (?:see|sees|view|get|access) "
        r"(?:[\w'-]+ ){0,4}?(?:meant|intended) for (?:them|him|her|it)\b",
        "permissions access control authentication",
    ),
    # a list served a page at a time ("the history to come in pages of fifty"): pagination
    (
        r"\bpages? of (?:\d+|ten|twenty|twenty-five|fifty|a hundred|one hundred)\b",
        "pagination paginated",
    ),
    # other people's own programs sending or taking things ("their own apps to send us those
    # photos", "get our price list into their own tills automatically", "the system our website
    # talks to"): an API another program calls
    (
        r"\b(?:into|from|through|via) (?:their|its) own (?:apps?|systems?|software|tills?|programs?"
        r"|platforms?)\b|\b(?:their|its) own (?:apps?|systems?|software|tills?|programs?) to (?:send"
        r"|get|fetch|call|look up|check|pull|push|post|talk|hand)\b|\b(?:system|service|server"
        r"|program)s? (?:that )?(?:our|the|their) (?:website|site|app|shop|tills?) (?:talks to|calls"
        r"|connects to)\b",
        "API endpoints integration",
    ),
    # an interface or a way for their systems to send, tell or call ("an interface their systems
    # can send job updates to", "a way for the ranger's system to tell ours", "a proper way for
    # those systems to hand the lists to us"): an API
    (
        r"\binterface (?:that )?(?:their |other |partners?['’]? |those |these |outside |external )?"
        r"(?:[\w-]+ ){0,2}?(?:systems?|apps?|software|tills?|programs?) (?:can|could|will|would)"
        r" (?:call|send|use|talk|post|push|query|reach)\b|\bway for (?:the |their |those |these |our "
        r"|its |that |each |every )?(?:[\w'’-]+ ){0,3}?(?:systems?|apps?|software|programs?|tills?)"
        r" to (?:hand|tell|send|pass|give|notify|push|post|call|talk|fetch|pull)\b",
        "API endpoints integration",
    ),
    # each one only able to see or touch its own ("each firm only able to see its own jobs",
    # "only able to touch their own entries"): access control
    (
        r"\bonly (?:be )?(?:able|allowed) to (?:see|view|touch|edit|change|access|open|read|manage"
        r"|update|download)\b",
        "permissions access control",
    ),
    # a key of their own for each caller ("give each garden centre its own key"): API keys
    (
        r"\b(?:its|their|his|her) own (?:api |access |secret )?keys?\b",
        "authentication API keys",
    ),
    # signing in to see their own things ("log in and see where they are on the list", "enter
    # races from their phones with one login"): login
    (
        r"\blog(?:s|ged|ging)?[\s-]?in (?:and|to) (?:see|check|view|change|order|book|track|manage"
        r"|download|pay)\b|\bwith (?:one|a single|just one|the same) (?:login|log-in|sign-in"
        r"|account|password)\b",
        "authentication login",
    ),
    # other organisations' systems reaching ours, said plainly ("the studios want their buying
    # systems to place orders with ours", "its system to pull our membership list", "whether their
    # own booking systems could check our stock", "fetch the times from ours", "orders sent by
    # their systems", "look that up from their end", "one way in for all three insurers", "a way
    # for each council's system to ask us"): an API another program calls
    (
        r"\b(?:their|its) (?:own )?(?:[\w-]+ )?(?:systems?|software|apps?|programs?|platforms?) (?:to"
        r"|could|can|would|will|should|might) (?:directly )?(?:pull|fetch|check|look up|place|read"
        r"|query|ask|order|book)\b|\b(?:fetch|pull|read|check|get|take|place|send|hand|pass|push"
        r"|post|sync|talk|connect)\w* (?:[\w'’-]+ ){0,5}?(?:from|with|to|into) ours\b|\b(?:sent"
        r"|placed|pushed|posted) (?:in )?(?:by|from) (?:their|its|other|outside) (?:[\w-]+ )?"
        r"systems?\b|\b(?:from|through|via|into) (?:their|its) own (?:[\w-]+ ){1,2}(?:systems?"
        r"|software|apps?|programs?|platforms?)\b|\b(?:look|check|fetch|pull|see)\w* (?:[\w'’-]+ )"
        r"{0,3}?from (?:their|its) (?:end|side)\b|\bone way in for\b|\ba way (?:for (?:[\w'’-]+ )"
        r"{1,4}?)?to ask (?:us|our (?:[\w-]+ )?system)\b",
        "API endpoints integration",
    ),
    # a program behind a page or called by a partner's site ("a claims form backed by an
    # interface that checks the serial", "a stock lookup the chain's site can call"): an API
    (
        r"\b(?:backed by|behind) (?:an?|the) (?:interface|api|service)\b|\binterface (?:that|which)"
        r" (?:checks|stores|saves|returns|accepts|takes|looks up|validates)\b|\b(?:lookup|service"
        r"|interface|feed) (?:that )?(?:the |their |our )?(?:[\w'’-]+ ){0,2}?(?:site|app|system"
        r"|software|tills?)s? (?:can|could|will|would) call\b",
        "API endpoints integration",
    ),
    # no one seeing another's things ("their own orders, but never anyone else's", "the status of
    # its units and no one else's", "with only district officers let in"): access control
    (
        r"\b(?:anyone|anybody|no one|no-one|nobody) else['’]s\b|\bonly (?:[\w'’-]+ ){1,3}?let in\b",
        "permissions access control",
    ),
    # results sent to a partner when something happens ("visit results sent back to each
    # insurer the moment a job is closed"): a webhook
    (
        r"\b(?:sent|send|sends|pushed|push|passed|posted) (?:back |on |straight )?(?:to|over to) "
        r"(?:[\w'’-]+ ){1,3}?(?:the moment|as soon as|the instant|the minute)\b",
        "webhook integration API",
    ),
    # taking the same thing twice safely ("safe to receive the same job twice"): idempotency
    (
        r"\bsafe to (?:receive|get|take|accept|process|handle) (?:[\w'’-]+ ){0,3}?twice\b",
        "idempotency retries",
    ),
    # each caller held to a share ("each caller limited so they cannot overload us"): rate limits
    (
        r"\b(?:each|every) (?:caller|client|partner|consumer) (?:is |gets? )?(?:limited|capped"
        r"|throttled)\b|\b(?:can't|cannot|can not|won't) overload (?:us|the (?:server|site|system"
        r"|api))\b",
        "rate limiting",
    ),
    # an answer cut to what is asked for ("a slimmer price request that returns only the chosen
    # design"), and a list fetched a few at a time ("ask for them a few at a time"): the payload
    # and its pagination
    (
        r"\b(?:request|response|call|reply)s? (?:that|which) (?:returns?|sends?|gives?) (?:back )?"
        r"only\b",
        "request payload response API",
    ),
    (
        r"\b(?:ask|asks|asking|fetch\w*|request\w*|load\w*|pull\w*|get) (?:for )?(?:them|it|these"
        r"|those|the [\w-]+) (?:a few|a handful|\d+|ten|twenty|fifty|a hundred) at a time\b",
        "pagination paginated",
    ),
    # owners signing up with their email ("owners sign up with email"): accounts and login
    (
        r"\bsign(?:s|ed|ing)?[ -]up with (?:their |an? |your )?(?:e-?mail|phone|account)\b",
        "authentication login",
    ),
    # routing round 43: another organisation's program said by whose it is ("the architects'
    # software can ask for the doors"), a way in given or built for them ("give them a proper way
    # in"), theirs sent straight to us ("their systems send orders straight into our site"), a
    # way a server offers to fetch things: an API another program calls
    (
        r"\b[\w-]+s['’] (?:own )?(?:[\w-]+ )?(?:systems?|software|apps?|programs?|platforms?|websites?)"
        r" (?:to|could|can|would|will|should|might) (?:directly )?(?:pull|fetch|check|look up|place"
        r"|read|query|ask|order|book|call|send)\b|\b(?:give|build|offer)s? (?:them |it |each of them )?"
        r"(?:a |the )(?:proper |secure |single |safe )?way in\b|\ba way (?:for (?:[\w'’-]+ ){1,4}?)?to"
        r" ask ours\b|\b(?:server|api|backend|service) (?:should |could |would |must |to )?(?:offer"
        r"|provide|expose)s? a way to (?:get|fetch|pull|read|ask for)\b",
        "API endpoints integration",
    ),
    (
        r"\b(?:systems?|software|apps?|programs?) (?:[\w'’-]+ ){0,2}?(?:send|sends|push|pushes|post"
        r"|posts) (?:[\w'’-]+ ){0,3}?(?:straight|directly|right) (?:to us|into our|to our)\b",
        "API endpoints integration",
    ),
    # an HTTP method named in capitals ("move that to a POST"): the endpoint's contract
    (
        r"(?-i:\b(?:POST|PUT|PATCH|DELETE)\b)",
        "API endpoints request",
    ),
    # not taking the same thing twice when it is sent again ("must not take the same order twice
    # if their till resends it"): idempotency
    (
        r"\b(?:not|never|n't|without) (?:take|taking|accept|accepting|book|booking|charge|charging"
        r"|process|processing) (?:the same|an?) (?:[\w-]+ ){0,2}?twice\b",
        "idempotency retries",
    ),
    # routing round 45: another organisation's systems asking ours ("could their own computer
    # systems ask ours directly", "their buying systems want to look up our stock directly", "a
    # door for them to send to"), a page asking for a result ("the website ask for them while
    # ...", "ask for that suggestion and get an answer back"): an API; only named people allowed
    # to see: access rules; a notice sent to each partner's system, sent again if it is down: a
    # webhook with retries; a list fetched a bit at a time: pagination; a system connected to
    # theirs: an integration
    (
        r"\bsystems?\b(?: [\w'’-]+){0,3}? (?:ask|query|look up|call|talk to|check with) ours\b"
        r"|\bsystems? (?:want to |could |can |to |would )?(?:ask|look up|query|check|read|pull)"
        r" (?:our|the) [\w ,'’-]{1,30}? directly\b"
        r"|\b(?:a |an )?(?:door|way in|doorway|entrance|endpoint) for (?:them|their systems?|the"
        r" [\w'’-]+) to (?:send|post|push|deliver) (?:to|into|orders|updates|their)\b"
        r"|\b(?:website|site|page|app|till|shop)s? (?:to |could |can |would |should )?ask for"
        r" (?:them|it|that [\w-]+|the [\w-]+) (?:and get|while)\b",
        "API endpoints integration",
    ),
    (
        r"\bonly (?:she|he|they|I|we|you|the [\w-]+) (?:and (?:the |her |his |our |their )?[\w'’-]+"
        r"(?: [\w'’-]+)? )?(?:are|is|am) allowed to (?:see|view|open|read|edit|change|access)\b",
        "permissions access control",
    ),
    (
        r"\b(?:notifications?|messages?|notices?|calls?) (?:sent|pushed|posted) (?:to|into) (?:each"
        r"|every|their|the) (?:[\w'’-]+ ){0,2}?systems?\b",
        "webhook integration API",
    ),
    (
        r"\b(?:sent|send|tried|try) again if (?:the|their|its) (?:[\w'’-]+ ){0,2}?(?:system|server"
        r"|site|end)s? (?:is|are) (?:down|offline|unreachable)\b",
        "idempotency retries",
    ),
    (
        r"\b(?:fetch\w*|load\w*|show\w*|come back|comes back|sent|send\w*|return\w*|handed over"
        r"|list\w*|displayed)\b(?: [\w'’-]+){0,2}? (?:a bit|a few|a handful|a chunk|a batch) at a"
        r" time\b",
        "pagination paginated",
    ),
    (
        r"\b(?:connection|link|hook-?up|integration) (?:to|with|into) (?:their|the [\w'’-]+(?: [\w'’-]+)?)"
        r" (?:[\w'’-]+ )?systems?\b|\b(?:our|the) (?:[\w-]+ )?system (?:be |to be |is |gets? )?"
        r"(?:connected|linked|hooked up) (?:to|with)\b",
        "integration third-party API",
    ),
    # routing round 46: a door they send to ("a proper door they send to"), a check or key that
    # only they can use ("a check that only they can use it", "a key that's only theirs"): an
    # API with its authentication; another system telling ours the moment something happens
    # ("the marketplaces tell our system straight away when something sells", "their till could
    # tell my website the moment a piece sells"): a webhook; things pulled into their own sites,
    # a way to ask for something and get it back: an API another program calls
    (
        r"\b(?:door|doorway|entrance|way in|endpoint) (?:that )?(?:they|their systems?|partners?)"
        r" (?:can |could |will )?(?:send|post|push|deliver)(?:s)? (?:[\w'’-]+ )?(?:to|into)\b"
        r"|\b(?:pull|fetch|show|display|feed|import|put)\w* (?:[\w'’-]+ ){0,3}?(?:into (?:their|its)"
        r" own (?:web ?)?(?:sites?|shops?|pages?)|(?:in|inside|on) (?:their|its) own (?:web ?)?sites?)\b"
        r"|\ba (?:proper |simple |secure |safe )?way to (?:ask for|send us) (?:[\w'’-]+ ){1,3}?and"
        r" get (?:[\w'’-]+ ){0,4}?back\b(?! (?:on|to|in(?:to)?)\b)",
        "API endpoints integration",
    ),
    (
        r"\b(?:check|key|password|login|lock) (?:so |that |which )?(?:only (?:they|he|she|the"
        r" [\w'’-]+) (?:can|could|may) use\b(?: it| this| that| them)?|(?:that['’]s|that is|which is)"
        r" only (?:theirs|his|hers|its own|their own))\b",
        "authentication API keys",
    ),
    (
        r"\b(?:tell|notify|alert|let|ping) (?:our|my|the|their) (?:[\w'’-]+ )?(?:system|site"
        r"|website|shop|till|app)s? (?:know )?(?:straight away|right away|immediately|at once"
        r"|instantly|the moment|the minute|as soon as)\b",
        "webhook integration API",
    ),
    # a list that comes back one part at a time ("the list comes back a floor at a time",
    # "come in smaller chunks"): pagination; token scopes ("JWT scopes so ..."): access rules
    (
        r"\b(?:list|lists|results|records|items|rows|entries|orders)\b(?: [\w'’-]+){0,2}? (?:comes?"
        r" back|returns?|loads?|arrives?) (?:one|a|an) [\w-]+ at a time\b|\b(?:requests?|lists?|results|responses?|replies|calls?)\b(?: [\w'’-]+){0,4}?"
        r" (?:come|comes|sent|returned|fetched|served) in (?:smaller |small )?(?:chunks|pages)\b",
        "pagination paginated",
    ),
    (r"\b(?:jwt|oauth|token|api) scopes?\b", "permissions access control authentication"),
    # routing round 47: a service or interface another program calls or reads from ("a small
    # service the sales teams' ordering sheet can call", "a single price interface all shops read
    # from"), booking or ordering from their own websites and getting an answer straight back, a
    # safe way for others to pull our data: an API; fetched only for their own part: access rules
    (
        r"\b(?:sheet|spreadsheet|app|system|site|website|program|software|tool|till|computer|script)s?"
        r" (?:can|could|will|would|should) call\b"
        r"|\b(?:interface|endpoint|api)s? (?:that |which )?(?:[\w'’-]+ ){0,3}?(?:read|reads|pull|pulls"
        r"|fetch|fetches|query|queries) from\b"
        r"|\b(?:book|order|buy|check|reserve)\w* (?:[\w'’-]+ ){0,3}?(?:straight )?from (?:their|its)"
        r" own (?:web ?sites?|software|systems?|apps?|tills?)\b"
        r"|\bget (?:a |an )?(?:yes or (?:a )?no|answer|reply|confirmation)s? (?:straight|right) back\b"
        r"|\ba (?:safe|secure|safer|proper) way (?:for (?:them|him|her|partners?) )?to (?:pull|fetch"
        r"|download|read) (?:it|them|this|that|the data|our data|the figures|the records)\b",
        "API endpoints integration",
    ),
    (
        r"\b(?:fetch|see|read|get|pull|view|show|access)\w* (?:[\w'’,-]+ ){0,5}?only (?:for|to) (?:their"
        r"|its|his|her) own\b",
        "permissions access control",
    ),
    # what a program hands out changing shape under the people who read it ("stop changing the
    # layout of the drawings it hands out without warning"): a breaking change to a contract
    (
        r"\bchang\w* (?:the )?(?:layout|format|shape|structure|fields|columns) of (?:the |what )?"
        r"(?:[\w'’-]+ ){0,3}?(?:it|they|the (?:app|site|system|api|service)) (?:hands? out|sends?"
        r"|returns?|gives?|serves?)\b",
        "API versioned versioning backward compatibility",
    ),
    # routing round 48: other organisations' programs sending to us or using our interface ("a
    # proper way to send their sales to us straight from their tills", "an ordering interface
    # garden centres' systems can use", "a new list it can ask the system for"), booking through
    # a real interface rather than pretending to be a person (scraping), a form passing what it
    # took to another system automatically, our dates pulled into their listings: an API or an
    # integration; a notice as soon as something sells: a webhook; notices pushed out to each
    # system with retries; lists shown a month or a class at a time: pagination; an interface
    # retried safely: idempotency; a REST contract
    (
        r"\b(?:send|sends|sending|post|posts|push|pushes|submit|submits|report|reports) (?:[\w'’-]+"
        r" ){0,4}?(?:straight|directly|automatically) from (?:their|its|the) (?:own )?(?:tills?"
        r"|systems?|apps?|software|web ?sites?|machines?|booking systems?)\b"
        r"|\b(?:interface|endpoint|api|service)s? (?:that |which )?(?:[\w'’-]+ ){1,3}?(?:systems?|apps?"
        r"|software|tills?|programs?|sites?|websites?) (?:can|could|will|would) (?:use|connect"
        r" to|talk to|plug into)\b"
        r"|\b(?:it|they|the (?:app|site|website|page|phones?|tablets?|tills?)) (?:can|could) ask"
        r" (?:the (?:system|server|backend)|our (?:system|server)|us) for\b"
        r"|\brather than (?:pretending to be|posing as) a (?:person|human|user|customer)\b"
        r"|\b(?:form|app|site|website|till)s? to (?:pass|send|hand|push) (?:[\w'’-]+ ){1,5}?to (?:our"
        r"|their|the) (?:[\w-]+ )?(?:system|software|crm) automatically\b"
        r"|\b(?:pull|fetch|take|bring|show)\w* (?:our|my) (?:[\w'’-]+ ){0,3}?(?:into|onto|on) their"
        r" (?:own )?(?:[\w-]+ )?(?:listings|sites?|websites?|apps?|systems?|calendars?)"
        r" automatically\b",
        "API endpoints integration",
    ),
    (
        r"\b(?:tell|notify|ping|let) (?:us|me|them|our system)(?: know)? (?:straight away|right away"
        r"|immediately|instantly|the moment|as soon as) (?:when|that|whenever)? ?(?:an?|the|each|every"
        r"|one) [\w-]+ (?:sells|is sold|is (?:bought|ordered|booked|paid|placed|shipped|cancelled))\b",
        "webhook integration API",
    ),
    (
        r"\b(?:notifications?|messages?|notices?|alerts?) (?:sent|pushed|posted) out (?:to|into)"
        r" (?:each|every|their|the) (?:[\w'’-]+ ){0,2}?systems?\b"
        r"|\bwith retries (?:when|if) (?:one|it|they|a [\w-]+|the [\w-]+) (?:does not|doesn't"
        r"|do not|don't|fails to|won't|will not) (?:answer|respond|reply)\b",
        "idempotency retries webhook",
    ),
    (
        r"\b(?:shows?|showing|gets?|getting|fetch\w*|loads?|loading|lists?|listing|returns?"
        r"|sends?|asks? for) (?:the )?(?:[\w'’-]+ ){0,2}?(?:a|one) (?:class|month|week|day|year"
        r"|team|store|branch|shop|school|group|category|customer) at a time\b",
        "pagination paginated",
    ),
    (
        r"\b(?:retry|retried|resend|resent|repeat|repeated) (?:it |them )?safely\b"
        r"|\bsafe to (?:retry|resend|repeat|send again)\b",
        "idempotency retries",
    ),
    (r"\b(?:rest|http|graphql) contracts?\b", "API contract endpoints"),
    # two people paying for the same thing because they clicked together (transactions), a
    # system able to book directly (an API), people signed in with their own account (SSO)
    (
        r"\b(?:two|both|several) (?:people|customers|users|buyers|members) (?:paid for|booked|bought"
        r"|reserved|got) the same [\w-]+ because\b",
        "transaction handling",
    ),
    (
        r"\b(?:software|system|app|till)s? to be able to (?:book|order|reserve|check) (?:[\w'’-]+"
        r" ){0,5}?directly\b",
        "API endpoints integration",
    ),
    (
        r"\bsign (?:patients|users|customers|staff|people|members|partners) in with their"
        r" (?:[\w-]+ )?(?:account|login)s?\b",
        "SSO login OAuth",
    ),
)
