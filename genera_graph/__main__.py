"""``python -m genera_graph``: the ``genera`` command line."""

import sys

from genera_graph.cli import main

sys.exit(main())
