"""The README's exit-code and profile tables, generated from the contract (between markers)."""

from __future__ import annotations

from contract_check.tables import Contract

ERRORS_BEGIN = "<!-- BEGIN GENERATED: exit codes (casblob --list-errors) -->"
PROFILES_BEGIN = "<!-- BEGIN GENERATED: profiles (casblob --list-profiles) -->"
END = "<!-- END GENERATED -->"


def exit_code_table(c: Contract) -> str:
    details = {e["name"]: e.get("details", ()) for e in c.errors}
    lines = [ERRORS_BEGIN, "| code | name | meaning |", "|---|---|---|"]
    for row in c.exit_codes:
        name = row.get("name", "")
        meaning = row["meaning"]
        if details.get(name):
            meaning += "; detail " + ", ".join("`%s`" % d for d in details[name])
        lines.append("| %d |%s| %s |" % (row["code"], " `%s` " % name if name else " ", meaning))
    return "\n".join(lines + [END])


def profile_table(c: Contract) -> str:
    lines = [PROFILES_BEGIN, "| profile | models | promise |", "|---|---|---|"]
    for p in c.profiles:
        lines.append("| `%s` | %s | %s |" % (p["name"], p["models"], p["promise"]))
    return "\n".join(lines + [END])


BLOCKS = ((ERRORS_BEGIN, exit_code_table, "the exit-code table"), (PROFILES_BEGIN, profile_table, "the profile table"))
