# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Settings: everything a deployer may change comes from the environment.

DEBUG=1 (the default) gives the development configuration; DEBUG=0 with a real
SECRET_KEY and ALLOWED_HOSTS gives the hardened production configuration.
"""

from .base import *  # noqa: F403
from .base import DEBUG

if not DEBUG:
    from .production import *  # noqa: F403
