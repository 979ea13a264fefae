"""``python -m convnp``: the same as the ``convnp`` command."""

import sys

from .cli import main

sys.exit(main())
