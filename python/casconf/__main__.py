import sys

from casconf.cli import main

sys.exit(main())
