"""``python -m team.routing SET...``: compile labelled sets into the packaged routing examples."""

import sys

from team.routing.examples import main

main(sys.argv[1:])
