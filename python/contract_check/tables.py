"""The contract as the CLI prints it: ``casblob --list-errors --json`` and ``--list-profiles --json``."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Contract:
    errors: list[dict]       # {"name", "exit_code", "meaning", ["details"]}, library order
    exit_codes: list[dict]   # {"code", ["name"], "meaning"}, by code
    profiles: list[dict]     # {"name", "models", "promise"}, library order

    def error_names(self) -> list[str]:
        return [e["name"] for e in self.errors]

    def exit_code_of(self) -> dict[str, int]:
        return {e["name"]: e["exit_code"] for e in self.errors}

    def details(self) -> list[str]:
        """The corrupt details (the one error that carries them)."""
        return [d for e in self.errors for d in e.get("details", ())]

    def profile_names(self) -> list[str]:
        return [p["name"] for p in self.profiles]


def _json_of(argv: list[str]) -> dict:
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True).stdout
    return json.loads(out)


def from_cli(casblob: str) -> Contract:
    errors = _json_of([casblob, "--list-errors", "--json"])
    profiles = _json_of([casblob, "--list-profiles", "--json"])
    return Contract(errors["errors"], errors["exit_codes"], profiles["profiles"])
