"""``python -m team.routing SET...``: compile labelled sets into the packaged routing examples."""

import sys

from team.routing.examples import main

if __name__ == "__main__":
    main(sys.argv[1:])
