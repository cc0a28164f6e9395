"""Internals of the command adapter: one reply line -> Response, argv placeholders."""

import pytest

from casconf.adapters.command import ConfigError, parse_reply, substitute

SHA = "c" * 40


def test_parse_reply_contract():
    assert parse_reply('{"ok": true, "sha1": "%s"}' % SHA, 0).kind == "ok"
    assert parse_reply('log line\n{"ok": true, "sha1": "%s"}\n' % SHA, 0).sha1 == SHA
    assert parse_reply('{"ok": false, "error": "corrupt", "detail": "data"}', 14).error == "corrupt"
    assert parse_reply('{"ok": false, "error": "corrupt"}', None).kind == "error"  # batch: no exit code
    for text, rc in [('{"ok": true, "sha1": "%s"}' % SHA, 1),          # ok but non-zero exit
                     ('{"ok": false, "error": "corrupt"}', 10),         # exit code of another error
                     ('{"ok": false, "error": "corrupt"}', 1),          # internal error
                     ('{"ok": false, "error": "mystery"}', 14),         # not an error name
                     ('{"ok": true}', 0), ('{"ok": true, "sha1": "XYZ"}', 0),
                     ("not json", 0), ("", 0), ("[1]", 0)]:
        assert parse_reply(text, rc).kind == "crash", (text, rc)


def test_substitute():
    assert substitute(["x", "--k={key}", "{blob}"], {"key": "K", "blob": "B"}) == ["x", "--k=K", "B"]
    with pytest.raises(ConfigError):
        substitute(["{nope}"], {})
