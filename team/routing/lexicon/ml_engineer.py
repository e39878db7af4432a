"""Plain words for the ML Engineer's card: a model's predictions and their quality ("predict",
"accuracy", "drift").

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
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
    # a model named by what it works on or puts out ("a photo model that grades stems", "a yield
    # model per field", "a propensity-to-book model"): a model's, not a data model's or a plan's
    (
        r"\b(?:photo|image|picture|vision|yield|forecasting|propensity(?:-to-[\w-]+)?|churn|demand"
        r"|scoring|ranking|recommendation|recommender|prediction|predictive|classification"
        r"|detection)[\s-]models?\b|\bmodels? that (?:grades?|sorts?|classif(?:y|ies)|guesses"
        r"|estimates|recogni[sz]es|ranks|scores|flags|spots|predicts|tells)\b",
        "ML model predictions",
    ),
    # learning from what happened before ("learn from past seasons which towns will sell out",
    # "learns from last year's orders"): a model's training on history
    (
        r"\blearn(?:s|ed|ing|t)? (?:[\w'-]+ ){0,2}?from (?:the |our |its |all )?(?:past|old|previous"
        r"|earlier|last (?:year|season|month)['’]?s?|history|historic(?:al)?)\b",
        "model training predictions",
    ),
    # a forecast of an amount ("a forecast of trade orders if the app launches", "forecasts of
    # weekly sales"): a model's prediction; a forecast of a date or a delivery is the PM's
    (
        r"\bforecasts? (?:of|for) (?:the |our |next [\w-]+['’]s |weekly |monthly |daily |yearly )?"
        r"(?:[\w-]+ )?(?:orders|sales|demand|visitors|bookings|footfall|revenue|attendance|volumes?"
        r"|prices|yields?|calls|tickets|sign-?ups|admissions)\b",
        "forecast predictions model",
    ),
    # what each customer might like next ("suggests to each regular which teas they might like
    # next", "which books members would enjoy"): a recommendation model's output
    (
        r"\bwhich (?:[\w'-]+ ){1,3}?(?:they|he|she|you|customers?|people|members|readers|buyers"
        r"|guests|clients)(?: [\w'-]+)? (?:might|may|would|could|will) (?:like|enjoy|love|want|buy"
        r"|prefer)\b",
        "recommendation model",
    ),
    # a guess of an amount ("a guess of how much each farm will deliver", "guess from those how
    # many the shop will want"): a model's prediction (an estimate of what the work costs is the
    # PM's, and is not read here)
    (
        r"\b(?:guess(?:es|ed|ing)?|predict(?:s|ed|ing|ions?)?) (?:of |at )?(?:[\w'-]+ ){0,4}?how"
        r" (?:much|many)\b",
        "model predictions forecast",
    ),
    # a program asked to spot, guess or suggest ("could the computer spot which ...", "whether a
    # program could guess ...", "software that can tell which ...", "could the computer suggest
    # the three most likely to stay"): what a model would do
    (
        r"\b(?:could|can|would|might) (?:the |a |our )?(?:computer|program|machine|software)s? "
        r"(?:spot|guess|predict|tell|learn|flag|pick out|work out|suggest|recommend|rank)\b"
        r"|\b(?:program|software)s? (?:that )?(?:could|can|to|would|might) (?:guess|predict|spot|tell|learn|flag)\b",
        "can ML model predictions",
    ),
    # customers said to be about to leave ("which gyms are about to stop ordering", "members
    # starting to drift away"): churn, a model's prediction
    (
        r"\b(?:about|starting|likely|going|set) to (?:stop (?:ordering|buying|coming|visiting|booking"
        r"|paying|using|renewing)|drift (?:away|off)|lapse|cancel|quit|leave us)\b|\bdrift(?:s|ed"
        r"|ing)? away\b",
        "churn prediction model",
    ),
    # a smaller model made to copy a big one ("a smaller, quicker one could be trained", "a
    # smaller one trained to copy it", "distill to a lighter net"): distillation
    (
        r"\b(?:smaller|lighter|quicker|faster|cheaper|compact)(?:,? (?:and )?(?:smaller|lighter"
        r"|quicker|faster|cheaper))? (?:one|version|model|net|network|copy) (?:[\w'-]+ ){0,3}?"
        r"(?:trained|taught|to copy|that copies|that mimics)\b|\bdistil(?:l|led|ling|lation|s)?\b",
        "distill model training",
    ),
    # a model told by what it warns of ("a model that warns when a gate starts to stick", "one
    # that notices when a pump begins to fail"): a model's predictions
    (
        r"\b(?:models?|one|something|program) that (?:warns?|notices?|catches|senses|detects)\b",
        "ML model predictions",
    ),
    # routing round 43: texts sorted into types on their own ("each note sorted into those fault
    # types automatically"), things flagged as often as they should be, a model named by what it
    # warns of, and a smaller one that keeps the current one's hits: a model's work
    (
        r"\b(?:sort|sorted|sorting|tag|tagged|tagging|split|put)s? (?:[\w'’-]+ ){0,2}?into (?:[\w'’-]+"
        r" ){0,3}?(?:types|categories|kinds|classes)\b(?: [\w'’-]+){0,2}? automatically\b",
        "classification model",
    ),
    (
        r"\b(?:flagged|caught|spotted|picked up|detected) as often as (?:they|it) should\b",
        "model recall evaluation",
    ),
    (
        r"\b(?:warning|alert|guessing)[\s-]models?\b",
        "ML model predictions",
    ),
    (
        r"\b(?:smaller|lighter|cheaper|leaner) (?:[\w-]+ ){0,2}?models? (?:that|which) (?:keeps|keep"
        r"|holds|still gets)\b",
        "model compression accuracy",
    ),
    # routing round 44: a model named by what it looks at and then does ("a model that reads each
    # scan and flags likely clogs", "a classifier flagging miscounted steps"), what a customer will
    # probably like and what similar buyers picked (a recommendation), and a computer that reads
    # messages and sorts them into kinds (a classifier): a model's work
    (
        r"\b(?:models?|classifiers?) (?:that|which) (?:reads?|looks? at|listens? to|watches|checks"
        r"|inspects|examines|views) (?:[\w'’-]+ ){1,5}?and (?:flags?|spots?|sorts?|marks?|picks? out"
        r"|tells?|grades?|predicts?|catches|warns?)\b|\b(?:models?|classifiers?|detectors?) (?:flagging"
        r"|spotting|predicting|sorting|catching|detecting|grading|scoring|ranking|tagging)\b(?! down\b)",
        "ML model predictions classifier",
    ),
    (
        r"\b(?:customers?|buyers?|shoppers?|people|members|readers|guests|clients|users?|visitors)"
        r" (?:will|would|might|may) (?:probably|likely|most likely) (?:like|enjoy|love|want|buy"
        r"|prefer)\b|\bwhat (?:similar|other|like-minded) (?:buyers|customers|people|shoppers|users"
        r"|readers|members|guests) (?:picked|bought|chose|liked|ordered|borrowed|watched|booked|rented"
        r"|read|played)\b",
        "recommendation model",
    ),
    (
        r"\b(?:computer|software|program|machine|model)s?\b[^.?!;]{0,40}?\b(?:sort|tag|file|split"
        r"|divide|class(?:ify|ifies))\w* (?:them|it|each(?: one)?|every (?:one|[\w-]+)|the [\w-]+)"
        r" into\b",
        "classification model",
    ),
    # routing round 45: something named by what it reads and then sorts ("something that reads
    # each message and sorts it into the question type"), one that suggests a thing ("one that
    # suggests a size on each product page"), what a shop shows as "you might also like", a
    # forecast of how many, and a comparison against the rule of thumb used now (a baseline)
    (
        r"\b(?:something|a thing|a tool|one|an? app|software) (?:that|which|to) (?:reads?|looks? at"
        r"|goes? through|checks?) (?:[\w'’-]+ ){1,5}?and (?:sorts?|files?|tags?|splits?|puts?)"
        r" (?:it|them|each(?: one)?) into\b",
        "classification model",
    ),
    (
        r"\b(?:one|something|a tool|a feature|a widget|a box) (?:that|which|to) (?:suggests?"
        r"|recommends?) (?:a|an|the|each|their|what|which)\b|\byou (?:might|may) also (?:like|love"
        r"|enjoy)\b|\b(?:customers|people|shoppers|buyers) (?:who bought [\w'’-]+ )?also (?:bought|liked)\b",
        "recommendation model",
    ),
    (
        r"\b(?:forecasts?|projections?) (?:of|for) (?:how (?:many|much)|the number of)\b"
        r"|\bforecasts? (?:of )?(?:[\w'’-]+ ){0,6}?(?:from|based on|using|learned from) (?:the |our"
        r" |their |past |last year'?s )?(?:[\w'’-]+ ){0,2}?(?:readings|data|records|history|sales"
        r"|orders|notes|logs)\b",
        "model predictions forecast",
    ),
    (
        r"\b(?:compar\w+|measured|tested|checked|judged|scored) (?:it |them )?(?:against|with|to)"
        r" (?:the |our |a )?(?:simple|current|existing|old|present|usual|manual) (?:[\w'’-]+ )?"
        r"(?:rule|rules|rule of thumb|method|way)\b(?= (?:[\w'’-]+ ){0,3}?(?:uses?|used|follows?"
        r"|applies|goes by|works? by))",
        "baseline model evaluation",
    ),
    # routing round 46: each one read and sorted into named kinds ("read each message and sort
    # it into 'order', 'safety' or 'wholesale'"), and a model taught again on new examples
    # ("taught again using this year's pictures"): a classifier, retraining
    (
        r"\bsort(?:s|ed|ing)? (?:it|them|each(?: one)?|every one) into (?:['‘\"“]|\w+, \w+,? or"
        r" \w+\b)",
        "classification model",
    ),
    (
        r"\b(?:taught|teach|trained|train) (?:it |them )?again (?:on|using|with|from) (?:[\w'’-]+"
        r" ){0,3}?(?:pictures|photos|images|data|examples|records|scans|labels|recordings)\b",
        "retraining model training",
    ),
    # how many each will want, told by the computer ("tell us how many of each size each region
    # will want next season"): a forecast; how often it sends one to the wrong place: the model's
    # errors
    (
        r"\b(?:tell|show|say|predict|estimate|guess|work out) (?:us |me |them )?how many (?:(?!you\b"
        r"|we\b|i\b)[\w'’-]+ ){0,8}?(?:will|would|are going to) (?:want|need|buy|order|sell|use)\b",
        "model predictions forecast",
    ),
    (
        r"\bhow often (?:it|the model|the tool|the program|the computer|the sorter) (?:sends|puts"
        r"|files|sorts|marks|flags|picks|guesses|calls)\b(?= [^.;]{0,40}\bwrong\b)",
        "model accuracy errors",
    ),
    # routing round 47: a model named by what it estimates ("a crash-likelihood model", "a
    # probability model"): a prediction model; something that finds the closest or most similar
    # ones to a description: ranking by embeddings; a model or computer that reads or recognises
    # things in photos ("a model that reads bib numbers in the photos", "teach a computer to
    # recognise pottery from our named photos"): a vision classifier
    (
        r"\b(?:[\w]+-)?(?:likelihood|probability|propensity)[- ]models?\b",
        "propensity prediction model",
    ),
    (
        r"\bfind(?:s|ing)? (?:the )?(?:closest|nearest|most similar|best[- ]matching) (?:ones|matches"
        r"|examples)\b|\bfind(?:s|ing)? (?:the )?(?:ones|examples|pictures|photos|items) most like\b",
        "embeddings ranking model",
    ),
    (
        r"\b(?:model|something|program|tool|computer|machine|system)s? (?:that |which |to )?(?:can )?"
        r"(?:reads?|recogni[sz]es?|spots?|picks? out) (?:[\w'’-]+ ){1,5}?(?:in|on|from|off) (?:the |our"
        r" |their |each |a )?(?:[\d,]+ )?(?:[\w-]+ )?(?:photos?|pictures?|images?|scans?|videos?)\b"
        r"(?! (?:folder|album|page|section)s?\b)",
        "vision classification model",
    ),
    # a number or event flagged when it looks unusual ("flag events where the number of unclaimed
    # coats looks unusual"): anomaly detection; a website that learns from what people bought
    # before to suggest: a recommendation model trained on history
    (
        r"\b(?:flag|spot|catch|detect|highlight|mark|pick out)\w* (?:[\w'’-]+ ){0,10}?(?:looks?|seems?"
        r"|is|are|gets?|goes) (?:unusual|abnormal|out of the ordinary|unusually (?:high|low))\b",
        "classifier anomaly detection",
    ),
    (
        r"\b(?:site|website|shop|app|system|computer|tool|program|it) (?:could |can |should |would"
        r" |to )?learn(?:s|ed|ing)? from (?:what|how|which|whatever|past|previous|earlier)\b",
        "recommendation model training",
    ),
    # routing round 48: something that reads texts and tells whether people are happy or annoyed
    # (sentiment); something that finds the pictures or items closest to a description (ranking
    # by embeddings); a guess of which customers are about to cancel (churn)
    (
        r"\b(?:reads?|goes? through|looks? at|sorts?) (?:[\w'’-]+ ){0,3}?and (?:tells?|says?|shows?)"
        r" (?:me|us|them|you) (?:whether|if|which|how) (?:[\w'’-]+ ){0,3}?(?:are|is|were|was|feel|felt)"
        r" (?:happy|pleased|satisfied|positive|content|unhappy|annoyed|angry|cross|upset|negative)\b",
        "sentiment classification model",
    ),
    (
        r"\bfind(?:s|ing)? (?:the )?(?:closest|nearest|most similar|best[- ]matching) (?:[\w-]+ )?"
        r"(?:pictures|photos|images|items|products|songs|tracks|documents|texts|answers|listings"
        r"|designs|artworks?) (?:to|for) (?:a|an|the|what|their|each|any)\b",
        "embeddings ranking model",
    ),
    (
        r"\b(?:guess|guesses|prediction|predictions|forecast|estimate)s? (?:of )?(?:which|what share"
        r" of|how many) (?:[\w'’-]+ ){0,2}?(?:customers|members|subscribers|users|clients|tenants"
        r"|patients|students|accounts|donors|players) (?:are|will|might|could|may)(?: be)?"
        r"(?: about| likely| going)?(?: to)? (?:cancel|leave|quit|churn|lapse|drop out|stop)\b",
        "churn prediction model",
    ),
    # a program that looks at measurements and suggests or guesses a class: a model's predictions
    (
        r"\b(?:program|model|something|tool|computer)s? that (?:looks at|reads|takes) (?:[\w'’-]+"
        r" ){1,6}?and (?:suggests|guesses|predicts|estimates|works out)\b",
        "ML model predictions classifier",
    ),
)
