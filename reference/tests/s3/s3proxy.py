"""An HTTP proxy in front of the S3 test server that checks and disturbs what passes through.

* Every signed request is verified with botocore's own SigV4 code (the signer boto3 and
  Metaflow use): s3rver does not check V4 signatures, this proxy does, and answers a bad one
  with S3's 403 SignatureDoesNotMatch. The x-amz-content-sha256 header is checked against the
  body, as S3 does.
* Faults are injected on request: POST /__proxy/faults with a JSON list of rules
  {"method": "GET"|"PUT"|"HEAD"|"*", "path_contains": "...", "count": N, "status": 503,
   "code": "SlowDown"} answers the next N matching requests with that S3 error, and
  {"kind": "cut", "after": BYTES, ...} forwards the response but closes the connection after
  BYTES body bytes (a GET cut short mid-stream).
* GET /__proxy/stats?bucket=NAME returns that bucket's counters (requests by method, faults
  injected, cuts, signature failures, conditional PUTs, TCP connections opened). Tests running at once use different
  buckets, and their rules name their bucket in path_contains, so they do not disturb each other.

Only 127.0.0.1 is ever contacted (the upstream is the local test server).
"""

import hashlib
import http.client
import http.server
import json
import threading
import urllib.parse

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class State:
    def __init__(self, upstream_port, access_key, secret_key):
        self.upstream_port = upstream_port
        self.access_key = access_key
        self.secret_key = secret_key
        self.lock = threading.Lock()
        self.rules = []
        self.stats = {}

    def bucket_stats(self, bucket):
        return self.stats.setdefault(bucket, {"requests": {}, "faults": 0, "cuts": 0, "signature_failures": 0,
                                              "if_none_match": 0, "connections": [], "connection_count": 0})

    def count(self, bucket, field, key=None):
        with self.lock:
            stats = self.bucket_stats(bucket)
            if key is None:
                stats[field] += 1
            else:
                stats[field][key] = stats[field].get(key, 0) + 1

    def take_rule(self, method, path):
        with self.lock:
            for rule in self.rules:
                if rule.get("count", 0) <= 0:
                    continue
                if rule.get("method", "*") not in ("*", method):
                    continue
                if rule.get("path_contains", "") not in path:
                    continue
                rule["count"] -= 1
                return dict(rule)
        return None


def s3_error_xml(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error>").encode()


def verify_signature(state, method, path, headers, body):
    """None when the signature is right, else the reason. Recomputed with botocore."""
    auth = headers.get("authorization")
    if not auth:
        return None if method == "GET" and path.startswith("/__proxy/") else "unsigned request"
    try:
        algorithm, rest = auth.split(" ", 1)
        fields = dict(part.strip().split("=", 1) for part in rest.split(","))
        credential = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        given = fields["Signature"]
    except (ValueError, KeyError):
        return "malformed Authorization header"
    if algorithm != "AWS4-HMAC-SHA256":
        return "not SigV4: " + algorithm
    access_key, date, region, service, _ = credential
    if access_key != state.access_key:
        return "unknown access key " + access_key
    if service != "s3":
        return "service is not s3: " + service
    declared = headers.get("x-amz-content-sha256", "")
    if declared != "UNSIGNED-PAYLOAD" and declared != hashlib.sha256(body).hexdigest():
        return "x-amz-content-sha256 does not match the body"
    for needed in ("host", "x-amz-date", "x-amz-content-sha256"):
        if needed not in signed:
            return needed + " is not signed"
    for name in headers:
        if (name.startswith("x-amz-") or name in ("content-md5", "content-type")) and name not in signed:
            return name + " is sent but not signed"
    raw_path, _, query = path.partition("?")
    url = "http://" + headers["host"] + urllib.parse.unquote(raw_path) + ("?" + query if query else "")
    request = AWSRequest(method=method, url=url, headers={h: headers[h] for h in signed if h in headers}, data=body)
    request.context["timestamp"] = headers.get("x-amz-date", "")
    signer = S3SigV4Auth(Credentials(state.access_key, state.secret_key), "s3", region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if date != request.context["timestamp"][:8]:
        return "credential scope date differs from x-amz-date"
    return None if expected == given else "signature mismatch; canonical request:\n" + canonical


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set by serve()

    def log_message(self, *args):
        pass

    def _reply(self, status, body, content_type="application/xml", close=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        if close:
            self.close_connection = True

    def _control(self, body):
        if self.path.startswith("/__proxy/stats?bucket=") and self.command == "GET":
            with self.state.lock:
                stats = self.state.bucket_stats(self.path.split("=", 1)[1])
                return self._reply(200, json.dumps(stats).encode(), "application/json")
        if self.path == "/__proxy/faults" and self.command == "POST":
            with self.state.lock:
                self.state.rules.extend(json.loads(body or b"[]"))
            return self._reply(200, b"{}", "application/json")
        return self._reply(404, b"unknown control path", "text/plain")

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__proxy/"):
            return self._control(body)
        headers = {k.lower(): v for k, v in self.headers.items()}
        bucket = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        self.state.count(bucket, "requests", self.command)
        with self.state.lock:  # distinct client ports: how many TCP connections the client opened
            stats = self.state.bucket_stats(bucket)
            if self.client_address[1] not in stats["connections"]:
                stats["connections"].append(self.client_address[1])
                stats["connection_count"] += 1
        if headers.get("if-none-match") == "*":
            self.state.count(bucket, "if_none_match")
        problem = verify_signature(self.state, self.command, self.path, headers, body)
        if problem:
            self.state.count(bucket, "signature_failures")
            return self._reply(403, s3_error_xml("SignatureDoesNotMatch", problem))
        rule = self.state.take_rule(self.command, self.path)
        if rule and rule.get("kind", "error") == "error":
            self.state.count(bucket, "faults")
            return self._reply(rule.get("status", 503), s3_error_xml(rule.get("code", "SlowDown"), "injected by s3proxy"))
        upstream = http.client.HTTPConnection("127.0.0.1", self.state.upstream_port, timeout=120)
        forwarded = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS and k.lower() != "expect"}
        upstream.request(self.command, self.path, body=body if (body or self.command in ("PUT", "POST")) else None,
                         headers=forwarded)
        response = upstream.getresponse()
        cut = rule.get("after") if rule else None
        self.send_response(response.status, response.reason)
        for k, v in response.getheaders():
            if k.lower() not in HOP_HEADERS:
                self.send_header(k, v)
        if response.getheader("Content-Length") is None and self.command != "HEAD":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        sent = 0
        while self.command != "HEAD":
            chunk = response.read(64 * 1024)
            if not chunk:
                break
            if cut is not None and sent + len(chunk) > cut:
                self.wfile.write(chunk[: cut - sent])
                self.wfile.flush()
                self.state.count(bucket, "cuts")
                self.close_connection = True
                break
            self.wfile.write(chunk)
            sent += len(chunk)
        upstream.close()

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _handle


def serve(port, upstream_port, access_key, secret_key):
    """A running proxy server (serve_forever on a daemon thread); .server_address has the port."""
    handler = type("BoundHandler", (Handler,), {"state": State(upstream_port, access_key, secret_key)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
