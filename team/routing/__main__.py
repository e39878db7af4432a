"""``python -m team.routing SET...``: compile labelled sets into the packaged routing examples.

``python -m team.routing --semantic SET...`` encodes labelled sets into the packaged asks the
router reads meaning by (``team.routing.semantic``; needs ``team models fetch``).
"""

import sys

from team.routing import examples, semantic

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--semantic"]:
        semantic.main(args[1:])
    else:
        examples.main(args)
