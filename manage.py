#!/usr/bin/env python

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vakmanschap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
