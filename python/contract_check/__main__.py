import sys

from contract_check.check import main

sys.exit(main())
