"""The subcommands of ``casconf``: one module each, listed in ``COMMANDS``.

A module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``main(args) -> int`` (exit
status: 0 pass, 1 fail, 2 usage; gate adds 3, a tree that cannot run). A new subcommand is one more module and one more entry."""

from casconf.commands import gate, run

COMMANDS = (run, gate)
