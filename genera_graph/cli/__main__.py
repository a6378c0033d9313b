import sys

from genera_graph.cli import main

sys.exit(main())
