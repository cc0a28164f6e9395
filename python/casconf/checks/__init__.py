"""The checks: read (fixtures vs manifest), write (producer x consumer), safety (silent corruption)."""
