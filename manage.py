#!/usr/bin/env python
"""Django's manage.py; the same as the `shian` command."""

from shian.cli import main

if __name__ == "__main__":
    main()
