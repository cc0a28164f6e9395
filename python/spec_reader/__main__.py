import sys

from spec_reader.cli import main

sys.exit(main())
