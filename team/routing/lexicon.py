"""Plain words for card concepts: what a non-specialist says where a card says its own term.

The router scores a request by the words the cards use ("model predictions", "load test",
"on-call", "idempotency"). People who are not engineers describe the same work in everyday
words: "the thing that guesses how many volunteers we need", "test whether it copes with that
many people", "text whoever's on duty when the site stops responding", "make sure it only counts
once when they resend". None of those words is in a card, so the request went to whichever card
happened to share a noun with its setting.

Each entry below maps a plain-language phrase to the card words it means, taken from the
cards' own Triggers and Vocabulary (``agents/*.md``); the misses of the spent ask sets
(``tests/data/asks_*.yaml``) showed which phrasings people use. A text that says a phrase is
read as also saying the card words (``team.routing.text.features``), so the card, not the
setting's nouns, decides whose work it is. An entry names a way of saying a concept, never one
request's nouns: "guesses" means predictions whatever is guessed.
"""

from __future__ import annotations

import re

__all__ = ["PLAIN_WORDS", "card_words"]


def _entries(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), words) for pattern, words in pairs)


PLAIN_WORDS = _entries(
    # ML Engineer: a model's predictions and their quality ("predict", "accuracy", "drift").
    # ... but "my guess is", "I guess" and "any suggestions?" are the writer's, not a model's
    (
        r"(?<!\bmy )(?<!\bi )(?<!\bbest )(?<!\ba )\bguess(?:es|ed|ing)?\b(?! is\b)",
        "predictions forecast",
    ),
    (
        r"\b(?:way|far|wildly|badly) off\b|\boff the mark\b|\bguess\w* (?:so |very |really )?badly\b",
        "forecast accuracy",
    ),
    (
        r"(?<!\bany )(?<!\byour )(?<!\bsome )(?<!\bopen to )\bsuggestions?\b"
        r"(?! (?:on|for|about) how\b| welcome\b)",
        "recommendation model",
    ),
    (
        r"\b(?:gets?|got|getting) (?:it|them|these|those|things|a lot|most) (?:\w+ )?wrong\b",
        "model accuracy errors",
    ),
    # what a model puts out, said to be wrong ("its chances are so wrong in fog", "the
    # suggestions are off for people who buy sock yarn", "if scores look off"): its errors
    (
        r"\b(?:chances|odds|suggestions|picks|guesses|estimates|forecasts?|predictions?|scores|"
        r"recommendations) (?:are|were|is|was|seem|look|come out) (?:so |way |often |always )?"
        r"(?:wrong|off)\b",
        "model accuracy errors",
    ),
    (
        r"\bwrongly (?:flagged|tagged|sorted|marked|labell?ed|blocked)\b|"
        r"\b(?:flagged|tagged|sorted|marked) wrongly\b|\bfalse alarms?\b",
        "model false positives",
    ),
    # "could a computer suggest books to borrowers": what a model would recommend
    (
        r"\b(?:computer|machine|system|app|site|software)s? (?:(?:could|can|to|would|that) )?"
        r"(?:suggest|recommend)s?\b",
        "recommendation model",
    ),
    (r"\bneeds? to (?:re)?learn\b|\bteach(?:ing)? it\b", "retrain model training"),
    # what a generated text says that its source does not ("the summaries invent customer
    # names", "how often the bot makes up answers") is a model's error to measure
    (
        r"\b(?:summar(?:y|ies)|answers?|repl(?:y|ies)|responses?|outputs?|bots?|chatbots?|assistants?|"
        r"models?|llms?) (?:[\w'-]+ ){0,2}?(?:invent(?:s|ed|ing)?|fabricat\w+|(?:make|makes|made|making)"
        r" (?:[\w'-]+ )?up)\b|\bhallucinat\w*",
        "model evaluation hallucination errors",
    ),
    (
        r"\b(?:tagged|labell?ed|hand-sorted|sorted by hand) (?:\w+ )?(?:examples|clips|images|"
        r"photos|messages|emails|items|samples|pictures)\b",
        "labels training set",
    ),
    (
        r"\bfor a computer to\b|\bcomputer (?:could|can|to) (?:sort|tell|spot|read|pick)\b",
        "can ML model",
    ),
    (
        # ... but a cache that misses is a cache miss, the Performance Engineer's
        r"\bwhy (?:it|the (?!cache\b)[\w-]+) (?:keeps )?(?:miss(?:es|ing)?|gets? (?:it|them) wrong)\b",
        "model errors",
    ),
    (r"\b(?:get|got|gets|getting) worse (?:for|on) \b", "model evaluation subgroup"),
    (
        r"\b(?:is|are)(?: [\w'-]+){1,4} (?:actually |really |even )?any good\b",
        "model quality evaluation",
    ),
    (
        r"\btest (?:a|the) (?:fix|change|new version|tweak) on (?:a slice|a sample|some|a share)\b",
        "A/B test of the model",
    ),
    (
        r"\b(?:whether|if) (?:a |the )?(?:model|computer|machine)s? (?:\w+ )?(?:can|could)\b",
        "can a model feasible",
    ),
    # "is that even doable with our booking history?": whether the data can carry the idea
    (
        r"\b(?:doable|feasible|possible|realistic|workable) (?:with|from|given) (?:our|the|this|"
        r"that|their|what) (?:[\w-]+ ){0,2}?(?:history|histories|data|records|photos|pictures|images|"
        r"recordings|examples|samples)\b",
        "can a model feasible training data",
    ),
    (
        r"\bnudg(?:e|es|ed|ing)\b|\bor is (?:that|it|this) (?:just )?noise\b",
        "uplift A/B test of the model",
    ),
    (
        r"\bwhich (?:inputs|factors|signals|details|things) (?:are |really )?(?:push|pushing|drive|driving|"
        r"matter|matters|sway|swaying)\b",
        "feature importance",
    ),
    (
        r"\bhow (?:it|the model|the [\w-]+) (?:performs|does|works) (?:for|on) (?:[\w-]+ )?(?:vs\.?|versus)\b",
        "subgroup evaluation",
    ),
    (
        r"\b(?:against|compared (?:to|with)|versus) (?:just |simply )?(?:showing|using|picking|guessing|"
        r"sorting by) (?:the )?(?:top|most|latest|newest|same|last)\b",
        "baseline",
    ),
    (
        r"\b(?:likely|about) to (?:leave|quit|cancel|churn|default|buy|come back|return)\b",
        "propensity prediction",
    ),
    # which of a population will act, said of its members ("which substations are likely to fail
    # an inspection next quarter", "which hives will swarm before June", "which pupils are
    # heading for a resit"): a prediction about each, whatever the time words around it say;
    # what "we" will do or "this" will cost is a plan or a price, not a prediction
    (
        r"\b(?:which|what) (?!(?:[\w-]+ ){0,3}?(?:we|you|they|it|i|us|our|the|this|that|these|those)"
        r"\b)(?:[\w-]+ ){1,3}?(?:(?:are|is) (?:most |more |least )?likely to|will (?!we\b|ship|make"
        r"|land|go\b|get|need|require|cost|change|move|stay|use\b|be (?:in|part|included|affected"
        r"|built|cut|ready|done|released|deployed|moved|migrated)\b)[\w-]+"
        r"|(?:are|is) heading (?:to|for)|(?:are|is) at risk of)\b",
        "propensity prediction model",
    ),
    (
        r"\bspot (?:the )?(?:fake|fraud|dodgy|suspicious|odd|unusual|scam)\w*|"
        r"\b(?:automatically|auto-?) ?(?:sort|tag|categori[sz]e|flag|route)\w*",
        "classifier anomaly detection",
    ),
    # a model named by what it does ("a churn predictor", "a model predicting who cancels"),
    # whether something can be predicted, scoring people by how likely they are to act, and
    # error analysis split by a group: a model's work even where data words surround it
    (
        r"\bpredictors?\b|\bmodels? predicting\b|\b(?:be|is|are) predict(?:ed|able)\b|"
        r"\b(?:can|could|would|will) (?:really |actually |reliably )?predict\b",
        "prediction model",
    ),
    (
        r"\b(?:score|rank|sort|flag)\w* (?:[\w-]+ ){1,3}?by how likely\b",
        "propensity prediction model",
    ),
    (r"\berror analysis\b", "model error analysis subgroup evaluation"),
    # a model's errors split by a group ("look at its errors by courier zone", "break its
    # recall down by broker", "precision and recall per district", "an evaluation per customer
    # segment"): error analysis by subgroup, whatever the group is; errors per second or per
    # request are a rate of the service
    (
        r"\b(?:errors?|recall|precision|accuracy|mistakes|misses|false positives) (?:(?:broken|split) )?"
        r"(?:down )?by\b|\b(?:errors?|recall|precision|accuracy|mistakes|evaluation|hit rate) "
        r"(?:per|for each|for every|in each) (?!(?:second|minute|hour|day|week|request|call|page|query"
        r"|run|transaction)s?\b)|\bbreak (?:its|the|their) (?:recall|precision|accuracy|errors?|mistakes) down by\b",
        "model error analysis subgroup evaluation",
    ),
    # ... and so are errors per group said in one word ("per-topic precision", "misgrades by
    # origin") and the classes a model mixes up ("which topics get confused", "which taxa it
    # confuses"); users confused by a page say nothing of which
    (
        r"\bper-[\w-]+ (?:precision|recall|accuracy|errors?|error rates?|mistakes)\b"
        r"|\b(?:misgrades|misclassifications|mislabels) (?:by|per|across)\b"
        r"|\b(?:which|what) (?:[\w-]+ ){1,3}?(?:get|gets|got|are|were) (?:most )?confused\b"
        r"|\b(?:which|what) (?:[\w-]+ ){1,3}?(?:it|the [\w-]+) confuses\b",
        "model error analysis subgroup evaluation",
    ),
    # whether a model treats groups of people or things alike ("is it unfair to small clubs?",
    # "is it fair across disciplines?", "biased against career gaps"): a bias assessment; a
    # trade fair, a fair price or "is it fair to say" is no such question
    (
        r"\bunfair(?:ly)?\b|\btreats? (?:[\w-]+ ){1,4}?fairly\b"
        r"|\b(?:is|are|be|was|were) (?:it |they |this )?fair (?:across|to|towards?)\b"
        r"(?! (?:say|assume|ask|expect)\b)"
        r"|\bbiased (?:against|towards?|towrds)\b|\bfairness\b",
        "model bias fairness subgroup evaluation",
    ),
    # knowing ahead how many will come, or demand estimated by place and hour, is a forecast
    (
        r"\b(?:in advance|ahead of time|beforehand) how (?:many|much)\b|"
        r"\bestimat\w* (?:the )?demand (?:for|by|per|in|at)\b",
        "demand forecast model",
    ),
    (
        r"\b(?:realistic|possible|feasible|doable) for (?:software|a computer|a machine|an app|a program)"
        r" to\b|\bcan (?:a |the )?(?:computer|machine|software|program) (?:really |actually )?"
        r"(?:do|tell|spot|read|judge)\b",
        "can ML model",
    ),
    # how likely each one is to do something is a model's prediction ("a rough chance of each
    # booking falling through"), and who would suit whom is its recommendation ("which donors
    # might be a good match"), whatever is predicted or matched
    (
        r"\b(?:rough|estimated|predicted|likely) (?:chance|odds|likelihood|probability)\b|"
        r"\b(?:chance|odds|likelihood) (?:of |that )?(?:each|every) [\w-]+\b|"
        r"\bhow likely (?:each|every)\b",
        "predictions probability model",
    ),
    # a model named by what it is built to do ("build a model that spots fake listings", "train
    # a classifier to flag late payers"), and a model retrained or called a scorer ("retrain the
    # fraud scorer"): a model's training, whatever it scores; a dbt or data model is a table's
    (
        r"\b(?:build|train|make|create|develop)(?:s|ing)? (?:us |me )?an? "
        r"(?!(?:[\w-]+ )?(?:dbt|data|domain|dimensional|relational|star)\b)(?:[\w-]+ ){0,2}?"
        r"(?:model|classifier|scorer|predictor|estimator)\b|\bmodels? (?:that|which|to) (?:spot|flag|"
        r"predict|guess|tell|pick|detect|catch|score|rank|sort|estimate|recogni[sz]e)",
        "model training",
    ),
    (r"\bretrain\w*", "retraining model training"),
    (
        r"\b(?:good|great|likely|best|close) match(?:es)?\b|"
        r"\b(?:suggest|recommend|pick out)s? (?:which|who|what) (?:[\w'-]+ ){0,4}?(?:might|would|could"
        r"|are likely to) (?:like|love|enjoy|want|suit|be a good)\b",
        "recommendation model",
    ),
    # Performance Engineer: load, capacity, where it breaks, where the time goes.
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
    # "hangs for seconds" is a stall; "doesn't hang the barrier" is what a fix must not do
    (
        r"\b(?:hangs|hanging|freezes|freezing|froze)\b(?! (?:the|a|an|our|up)\b)",
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
    # DevOps Engineer: on-call, alerting, rollouts, keeping a service up.
    (
        r"\bon duty\b|\bon call\b|\bget(?:s)? (?:us )?paged\b|\bwoken up\b|"
        r"\bwakes? (?:someone|somebody|whoever|us|me|them) up\b|"
        r"\btext (?:message )?(?:to )?(?:whoever|someone|somebody|the person)\b|\bget a text\b",
        "on-call paging alerting",
    ),
    (r"\brota\b|\brotation\b", "on-call rotation"),
    # "set up something that warns them when the positions stop coming in"
    (
        r"\bwarns? (?:us|them|me|someone|somebody|whoever|the [\w-]+) (?:when|if|before|as soon)\b|"
        r"\b(?:set up|add|need|want) an alert\b",
        "alerting monitoring",
    ),
    # told the moment something stops ("text the caretaker as soon as the pumps stop working",
    # "let the owner know whenever the site goes down"): an alert, whoever is told and how
    (
        r"\b(?:warn|alert|text|ping|notify|message|email|let)s? (?:[\w'-]+ ){0,5}?(?:the moment|as soon as"
        r"|the minute|the second|whenever|when|if) (?:it|they|the (?:[\w-]+ )?[\w-]+|something|anything) "
        r"(?:stops?|goes down|go down|breaks?|fails?|dies|crash(?:es)?|is down|are down)\b",
        "alerting monitoring on-call",
    ),
    # what was changed by hand against what the code says is infrastructure drift, not a model's
    (
        r"\b(?:console|manual|hand) (?:edits|changes|tweaks)\b|"
        r"\bdrift (?:from|against|between) (?:what|the (?:code|config|repo|terraform|state))\b",
        "infrastructure as code Terraform drift detection",
    ),
    (
        r"\b(?:site|app|server|service|website|system|shop|portal) (?:stops? responding|"
        r"goes down|is down|went down)\b",
        "uptime alerting",
    ),
    (
        r"\brestarts? (?:\w+ )?gracefully\b|\b(?:two|2|several|multiple) copies\b|"
        r"\balways (?:be )?up\b",
        "health checks deployment uptime",
    ),
    (
        r"\b(?:go|goes|went|roll|push) out to (?:a couple of|a few|a handful of|some|one or two|"
        r"a small)\b|\b\w+ first and stop\b",
        "canary gradual rollout",
    ),
    (
        r"\bstop(?:s)? (?:itself |the rollout )?automatically\b|\bundo (?:it|the update) "
        r"automatically\b",
        "roll back automatically",
    ),
    (
        r"\bblock (?:the |a )?merge\b|\bbefore (?:anything|it|code) (?:is |gets )?merged\b",
        "pull request checks CI",
    ),
    (r"\brelease pipeline\b", "CI/CD deploy pipeline"),
    # files copied onto the server by hand, changes put out: a deployment, however it is done
    (
        r"\bcop(?:y|ies|ied|ying) (?:the )?(?:[\w-]+ )?files (?:onto|to|over to|up to) (?:the |our )?"
        r"(?:server|site|host|box|machine)\b|\b(?:put|push|get) (?:our |the |new )?changes "
        r"(?:out|live)\b|\bput out (?:our |the |new )?changes\b",
        "CI/CD deploy pipeline",
    ),
    (
        r"\b(?:undo|roll back|take back) (?:a |the )?(?:bad |broken )?(?:update|release|change)\b",
        "rollback release automation",
    ),
    # going back to the version before ("go back to the old version if an update breaks",
    # "undo it if it breaks", "a bad update can be undone quickly"): a rollback
    (
        r"\b(?:go|goes|going|went|switch|switching|get|getting|roll|rolling|take (?:it|us|them|things))"
        r" back to (?:the )?(?:old|previous|last|earlier)\b|\bgo(?:ing)? back (?:quickly |fast "
        r"|straight away |right away )?(?:if|when)\b|\bundo (?:it|them|a bad \w+|the bad \w+)\b|"
        r"\b(?:can be|be) undone\b",
        "rollback release automation",
    ),
    # updates put out while the site stays up ("can updates go out without the site going
    # offline"): a deployment's rollout; a migration "without downtime" is the schema's
    (
        r"\b(?:updates?|releases?|new versions?|changes)\b(?: [\w'-]+){0,4}? without (?:(?:the|our) "
        r"(?:[\w-]+ ){1,2}|taking (?:the |our )?[\w-]+ )?(?:going |being )?(?:offline|down)\b|"
        r"\bupdate (?:it|the [\w-]+) without\b",
        "blue-green deployment rollout",
    ),
    (
        r"\b(?:lose|lost) everything\b|\bif the (?:building|data ?cent(?:er|re)|server room) "
        r"(?:burns|floods|goes)\b",
        "backups disaster recovery",
    ),
    # a copy kept elsewhere ("backed up somewhere off site every night", "in case the server
    # dies"), and passwords kept safe and changed: backups and secrets, the platform's
    (
        # ... but jobs "so backed up that they wait for days" are a queue's backlog
        r"\bbacked up (?:somewhere|off-?site|every|each|nightly|daily|to|regularly|automatically)\b|"
        r"\bbacked up\s*(?:$|[.,;!?])|\bbacks? (?:it |them |everything |the [\w-]+ )?up (?:to|every|each"
        r"|nightly|daily|somewhere|off-?site)\b|"
        r"\b(?:server|machine|disk|computer|laptop|box) (?:dies|died)\b",
        "backups disaster recovery",
    ),
    (
        r"\bsomewhere (?:safe|secure)\b|\bpasswords?\b(?: [\w'-]+){0,6}? (?:changed|rotated)\b",
        "secrets management secret rotation",
    ),
    # what a pod may use and what scales it ("set memory requests/limits and an HPA on CPU",
    # "a PDB so restarts don't drop every replica"): its manifests (a probe is left out: "can't
    # add a readiness probe, the service has no health route" is the service's to fix)
    (
        r"\b(?:memory|cpu|resource) (?:requests|limits?)\b|\brequests ?(?:and|/|&) ?limits\b|\bhpa\b|"
        r"\bhorizontal (?:pod )?autoscaler\b|\bpdb\b|"
        r"\bpod ?disruption ?budgets?\b",
        "manifests resource requests limits",
    ),
    (
        r"\bpasswords? (?:are |is |sit |sitting )?(?:in|on) (?:a |the )?(?:file|spreadsheet|repo|code)\b",
        "secrets management",
    ),
    (r"\b(?:set up|built|configured) by hand\b", "infrastructure as code provisioning"),
    # servers that come and go with the load are autoscaling, whoever is asked to set it up
    (
        r"\b(?:extra|more|new) (?:servers|machines|nodes|instances|copies) (?:\w+ ){0,2}?"
        r"(?:switch|turn|spin|start|come|kick|fire) (?:on|up|in)\b|"
        r"\b(?:servers|machines|nodes|instances) (?:\w+ ){0,2}?(?:by themselves|on their own|"
        r"automatically)\b|\b(?:grow|shrink|scale)s? (?:up|down) (?:by itself|on its own)\b",
        "autoscaling nodes",
    ),
    (r"\b(?:test|practice|trial) copy of the (?:site|app|shop|system)\b", "staging environment"),
    # a card verb alone ("containerize the scorer") is too little to pass an ask on
    (r"\bcontaineri[sz]\w*|\bdockeri[sz]\w*", "Docker container image"),
    # what the machines cost and which sit idle ("what we are paying for and what could be
    # switched off", "the spending broken down by system", "break the cloud bill down by
    # team", "servers left on all night so we pay for nothing")
    (
        r"\b(?:what|everything|all) we(?:'re| are)? pay(?:ing)? for\b|\b(?:spend|spending|bill|costs?) broken down by\b|"
        r"\bbreak (?:the |our )?(?:[\w-]+ )?(?:bill|spend|spending|costs?) down\b|"
        r"\bpaying for nothing\b|\b(?:switch|turn|shut)(?:es|ed|ing)? (?:[\w-]+ ){0,3}?off "
        r"(?:at night|overnight|on weekends|when (?:idle|nobody|no one))\b|"
        r"\b(?:machines|servers|instances|boxes) (?:that )?nobody uses\b|"
        r"\b(?:machines|servers|instances) (?:\w+ ){0,3}?(?:switched|turned|shut) off\b",
        "infrastructure cost",
    ),
    # Backend Architect: how clients talk to the system, counting once, tables, access.
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
    # Data Engineer: pulling data in on a schedule, where numbers came from.
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
    # System Architect: splitting for growth, buying versus building.
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
    # PM: roadmaps, risks, how we'll know it worked, looking back.
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
)


def card_words(text: str) -> list[str]:
    """The card phrases ``text`` says in plain words, in lexicon order.

    Example:
        >>> card_words("the thing that guesses how many volunteers we need")
        ['predictions forecast']
        >>> card_words("Add a composite index to the orders table")
        []
        >>> card_words("My guess is the cache; any suggestions on how to check?")
        []
    """
    return [words for pattern, words in PLAIN_WORDS if pattern.search(text)]
