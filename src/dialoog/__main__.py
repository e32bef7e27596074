import sys

from dialoog.cli import main

sys.exit(main())
