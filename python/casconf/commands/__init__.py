"""The subcommands of ``casconf``: one module each, listed in ``COMMANDS``.

A module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``main(args) -> int`` (exit
status: 0 pass, 1 fail, 2 usage). A new subcommand is one more module and one more entry."""

from casconf.commands import run

COMMANDS = (run,)
