import sys

from sphinxext_ldm.cli import main

sys.exit(main())
