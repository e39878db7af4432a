"""Plain words for the DevOps Engineer's card: on-call, alerting, rollouts, keeping a service up.

Each entry: a pattern of everyday words, and the card words a text that says it also says.
"""

from __future__ import annotations

from team.routing.lexicon.entry import entries

__all__ = ["PLAIN_WORDS"]

PLAIN_WORDS = entries(
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
    # more capacity that comes by itself ("make it add more server power by itself when it gets
    # busy", "extra capacity comes online during broadcasts"): autoscaling
    (
        r"\b(?:add|adds|adding|get|gets|bring|brings|give|gives) (?:it |itself )?(?:more |extra )"
        r"?(?:server|computing|computer|machine) (?:power|capacity)\b|\b(?:more|extra) capacity"
        r" (?:comes?|coming) (?:online|on)\b",
        "autoscaling capacity",
    ),
    # a new version seen first by a small share of visitors ("new versions to reach a small
    # share of visitors first"): a canary
    (
        r"\b(?:small|tiny|little) (?:share|slice|part|portion|fraction|percentage|group|subset|number)"
        r" of (?:the |our )?(?:visitors|users|customers|traffic|people|players|members|shoppers"
        r"|guests|buyers|requests)\b",
        "canary gradual rollout",
    ),
    # a change tried where the public cannot see it first ("tried out safely before the public
    # sees it", "a practice setup that mirrors the gates"): a staging environment
    (
        r"\b(?:tried|try|trying|tested|test|checked) (?:[\w'-]+ ){0,2}?before (?:the public|customers"
        r"|visitors|real users|everyone|anyone) (?:sees?|gets?|uses?)\b|\b(?:practice|rehearsal"
        r"|trial|dummy|pretend) (?:setup|set-up|version|environment|copy|system) (?:that )?"
        r"(?:mirrors|copies|matches|looks like)\b",
        "staging environment",
    ),
    # passwords taken out of a shared file ("the office's passwords moved out of the shared
    # spreadsheet into something proper"): secrets management
    (
        r"\b(?:passwords?|logins?|credentials|keys|secrets)\b(?: [\w'-]+){0,4}? out of (?:the |a |our )?"
        r"(?:[\w-]+ ){0,2}?(?:file|spreadsheet|sheet|doc|document|notebook|email|drive|repo|code)\b",
        "secrets management",
    ),
    # a server rented or a home found for a site ("set up the rented server", "find the new
    # site a home"): hosting provisioned
    (
        r"\b(?:set up|provision|configure|prepare)(?:s|d|ing)? (?:the |a |our )?(?:new )?(?:rented|hired"
        r"|leased|virtual|cloud) (?:server|machine|box)\b|\bfind (?:the |our |a )?(?:new )?(?:site"
        r"|website|app|shop|service|system) a home\b",
        "hosting provisioning infrastructure",
    ),
    # someone rung at night when something breaks ("a warning system that calls someone at
    # night"): on-call alerting
    (
        r"\bwarning system\b|\bcalls? (?:someone|somebody|whoever|us|me|the [\w-]+) (?:at night|in the"
        r" night|overnight|out of hours)\b",
        "alerting on-call paging",
    ),
    # a setup that can be built again from nothing ("set up in a way that can be rebuilt from
    # scratch", "so it can be rebuilt if it breaks"): infrastructure as code
    (
        r"\brebuil[dt]s? (?:[\w'-]+ ){0,2}?from (?:scratch|nothing)\b|\b(?:can|could) be rebuilt\b",
        "infrastructure as code",
    ),
    # a way back to the old version ("released with a way back to the old version within
    # minutes", "put the site back to yesterday's version"): a rollback
    (
        r"\bway back to (?:the )?(?:old|previous|last|earlier|prior) (?:version|release|site|build"
        r"|setup)\b|\b(?:go|roll|switch|get|put)"
        r" (?:it |things |everything |the site )?back to (?:the )?(?:old|previous|last|earlier"
        r"|yesterday['’]s) (?:version|release|site|build)\b",
        "rollback deployment",
    ),
    # a machine that dies ("page on-call if box dies", "when the vm goes down"): alerting
    (
        r"\b(?:box|boxes|vms?|hosts?|nodes?|instances?|servers?) (?:dies|died|goes down|went down"
        r"|is down)\b",
        "alerting on-call monitoring",
    ),
    # a setup kept in code and easy to rebuild ("set up so it's easy to rebuild", "storage set up
    # through code"), proper hosting ("moved onto proper hosting"), copies in a second region,
    # capacity added on its own when busy, and staging matched to prod ("fix parity")
    (
        r"\bset up (?:through|in|with|by|as|from) code\b|\bdefined in code\b|\beasy to (?:rebuild"
        r"|recreate|redeploy|set up again)\b",
        "infrastructure as code",
    ),
    (
        r"\b(?:proper|real|managed|professional) hosting\b|\bmoved? (?:it )?(?:on)?to (?:proper |real "
        r"|a |the )?(?:hosting|cloud)\b",
        "hosting provisioning infrastructure",
    ),
    (
        r"\b(?:copies|copy|backups?|replicas?|snapshots?) (?:[\w-]+ )?(?:to|in) (?:a|another|the"
        r"|one) (?:second|other|different|backup|separate) (?:region|site|data ?cent(?:re|er)|zone"
        r"|location)\b",
        "backups disaster recovery",
    ),
    (
        r"\b(?:add|adds|adding|grow|grows|scale|scales)\w* (?:extra |more )?(?:capacity|servers"
        r"|machines|instances) (?:on its own|by itself|automatically|itself) (?:when|if|as)\b",
        "autoscaling capacity",
    ),
    (
        r"\b(?:staging|prod|production|environments?)\b[^.]{0,40}\bparity\b",
        "staging environment parity",
    ),
    # routing round 43: told the next time it goes down ("be told straight away next time it goes
    # down"): an alert; new versions put live ("putting new versions live without breaking
    # things"): a deployment
    (
        r"\b(?:told|warned|alerted|notified|texted|messaged|paged)\b(?: [\w'’-]+){0,4}? (?:next time"
        r"|the next time|the moment|as soon as|whenever|when|if) (?:it|they|the (?:[\w-]+ )?[\w-]+) "
        r"(?:stops|goes down|is down|crashes|dies|fails|falls over)\b",
        "alerting monitoring on-call",
    ),
    (
        r"\b(?:put|puts|putting|push|pushes|pushing|get|gets|getting)\b (?:[\w-]+ ){0,2}?(?:versions?"
        r"|releases?|updates?|builds?) (?:out )?live\b",
        "CI/CD deploy pipeline",
    ),
    # routing round 45: changes put out while the shop stays open ("changes go out without the
    # shop closing", "servers that can be updated without closing the shop"): a rollout; told
    # straight away when it happens again (after the site went down): an alert; servers set up
    # from one written recipe: infrastructure as code; passwords kept safe: secrets management
    (
        r"\b(?:updates?|releases?|changes|new versions?)\b(?: [\w'’-]+){0,4}? without (?:the |our )?"
        r"(?:shop|site|store|website|service|app|system)s? (?:closing|shutting|going dark|stopping)\b"
        r"|\b(?:updated|changed|released|deployed|put live|go out|goes out) without (?:closing|shutting"
        r"|stopping|taking down) (?:the |our )?(?:shop|site|store|website|service|app|system)s?\b",
        "blue-green deployment rollout",
    ),
    (
        r"\b(?:told|warned|alerted|notified|texted|paged) (?:straight away|right away|immediately|at"
        r" once) (?:when|if|whenever|next time) (?:that|this|it) happens\b",
        "alerting monitoring on-call",
    ),
    (
        r"\b(?:servers?|machines?|environments?|hosting|infrastructure|boxes)\b(?: [\w'’-]+){0,5}? "
        r"(?:set up|built|created|made|rebuilt|configured) (?:from|by|with|using) (?:the same |a |one "
        r"|our )?(?:written |shared )?(?:recipe|script|template|blueprint)s?\b",
        "infrastructure as code",
    ),
    (
        r"\b(?:passwords?(?: and (?:keys|secrets|logins))?|api keys|secrets|credentials)\b"
        r"(?: [\w'’-]+){0,3}? (?:are |is )?(?:kept|stored|held) (?:anywhere |somewhere )?(?:safe"
        r"|safely|securely|secure)\b",
        "secrets management",
    ),
    # routing round 46: hosting set up in shorthand ("set up the new hosting"), a process that
    # starts itself again if it crashes (a supervised service), and a canary with rollback in
    # shorthand ("canary ... w/ auto-rollback on 5xx")
    (
        r"\bset(?:ting)? up (?:the |our |a )?(?:new )?hosting\b|\bstarts? (?:itself|back up|up)"
        r" again (?:if|when|after) (?:it )?(?:crashes|fails|dies|falls over|goes down)\b",
        "hosting provisioning infrastructure",
    ),
    (
        r"\bcanary\b(?= [^.;]{0,40}\b(?:\d+ ?%|roll ?back|rollback))|\bauto-?roll ?-?backs?\b",
        "canary gradual rollout",
    ),
    # routing round 47: changes tested automatically before they go out: a CI pipeline; limits
    # fixed in shorthand ("k8s jobs OOMKilled ..., fix limits"): the manifests' resource limits
    # (an OOM kill alone may be a leak, the Performance Engineer's); a warning before it falls
    # over: an alert
    (
        r"\b(?:tested|checked) automatically (?:before|every time|each time|whenever) (?:it|they"
        r"|changes?|each change|anything|updates?|new versions?) (?:goes|go|is|are|gets|get) (?:out"
        r"|live|released|deployed)\b|\bautomatically (?:tested|checked) before (?:it|they|they're"
        r"|it's) (?:goes|go|released|deployed|live|out)\b",
        "CI/CD deploy pipeline",
    ),
    (
        r"\bfix(?:es|ing)? (?:the |its |their )?(?:pod |container |memory |cpu |resource )?limits\b",
        "manifests resource requests limits",
    ),
    (
        r"\b(?:warning|warned|alert|alerted|heads[- ]up)\b(?: [\w'’-]+){0,3}? before (?:it|the"
        r" (?:[\w-]+ )?[\w-]+|things|something) (?:falls? over|goes? down|crashes|breaks|stops"
        r"|dies|fails)\b",
        "alerting monitoring on-call",
    ),
    # routing round 48: a server that needs more memory or a bigger machine (provisioning), a
    # screen hosted somewhere that pages someone when it goes down (hosting, on-call), copies
    # checked by restoring them (backups), the hosting rebuilt as code (infrastructure as code)
    (
        r"\b(?:server|machine|box|vm|instance|host|database|node)s? (?:may |might |probably |just"
        r" |simply |likely |only )*(?:needs?|needed) (?:more|bigger|extra) (?:memory|ram|cpu|disk"
        r"|storage|cores)\b",
        "hosting provisioning infrastructure",
    ),
    (
        r"\bpages? (?:the |our |whoever |someone )(?:[\w'’-]+ ){0,3}?(?:when|if) (?:it|the [\w-]+)"
        r" (?:goes down|stops|fails|crashes|is down|falls over)\b",
        "alerting on-call paging",
    ),
    (
        r"\b(?:cop(?:y|ies)|backups?|snapshots?) (?:[\w'’-]+ ){0,4}?(?:checked|tested|proven) by"
        r" (?:actually )?restoring\b",
        "backups disaster recovery",
    ),
    (
        r"\b(?:hosting|servers?|infrastructure|setup|cloud|environments?) (?:[\w'’-]+ ){0,2}?"
        r"(?:rebuilt|written|described|kept|defined|set up|redone) as code\b",
        "infrastructure as code",
    ),
    # updates that go back by themselves or have a quick way back (rollback), that reach a few
    # users first (a canary)
    (
        r"\bgo(?:es)? back by (?:themselves|itself)\b|\ba (?:quick|fast|safe|easy) way back\b",
        "rollback release automation",
    ),
    (
        r"\breach (?:a few|some|a handful of|a small (?:group|share) of|\d+ ?%? of) (?:users|customers"
        r"|people|players|members) first\b",
        "canary gradual rollout",
    ),
)
