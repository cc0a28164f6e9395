"""Starts and stops the real S3-protocol server the S3 tests run against (ctest fixture `s3`).

    s3_server.py start STATE_DIR   # s3rver on 127.0.0.1 behind s3proxy.py; writes STATE_DIR/state.json
    s3_server.py stop STATE_DIR    # stops both; fails if any process of this server is left
    s3_server.py run STATE_DIR     # (internal) the supervisor that `start` leaves running

The server is s3rver (npm, installed by scripts/setup into tools/s3rver/). Clients talk to the
proxy, which verifies every SigV4 signature with botocore and injects faults on request; the
state file also names s3rver's own port. The supervisor stops everything by itself when the
state file disappears, when s3rver dies, or after --max-seconds (default 1 hour), so an
interrupted ctest run leaves nothing behind for long.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
S3RVER = os.path.join(SOURCE_DIR, "tools", "s3rver", "node_modules", "s3rver")
ACCESS_KEY = SECRET_KEY = "S3RVER"  # the only account s3rver knows
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def versions():
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(S3RVER, "package.json")) as f:
        s3rver = json.load(f)["version"]
    import botocore
    return {"server": "s3rver " + s3rver, "node": node, "botocore": botocore.__version__}


def run(state_dir, max_seconds):
    sys.path.insert(0, HERE)
    import s3proxy

    state_file = os.path.join(state_dir, "state.json")
    data = os.path.join(state_dir, "data")
    os.makedirs(data, exist_ok=True)
    server_port = free_port()
    log = open(os.path.join(state_dir, "s3rver.log"), "w")
    # --openssl-legacy-provider: s3rver 3.7.1 builds ListObjectsV2 continuation tokens with DES,
    # which Node 17+ on OpenSSL 3 leaves out: without it every truncated listing is a 500.
    server = subprocess.Popen(
        ["node", "--openssl-legacy-provider", os.path.join(S3RVER, "bin", "s3rver.js"), "-d", data, "-a", "127.0.0.1", "-p", str(server_port),
         "--no-vhost-buckets", "-s"],
        stdout=log, stderr=subprocess.STDOUT)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    try:
        if not wait_for_port(server_port, 30):
            raise SystemExit("s3rver did not start (see s3rver.log)")
        proxy = s3proxy.serve(0, server_port, ACCESS_KEY, SECRET_KEY)
        state = {"endpoint": "http://127.0.0.1:%d" % proxy.server_address[1],
                 "server_endpoint": "http://127.0.0.1:%d" % server_port,
                 "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "region": REGION,
                 "supervisor_pid": os.getpid(), "server_pid": server.pid, **versions()}
        with open(state_file + ".tmp", "w") as f:
            json.dump(state, f, indent=1)
        os.rename(state_file + ".tmp", state_file)
        started = time.monotonic()
        while not stopping and os.path.exists(state_file) and server.poll() is None:
            if time.monotonic() - started > max_seconds:
                break
            time.sleep(0.2)
        proxy.shutdown()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if os.path.exists(state_file):
            os.unlink(state_file)


def start(state_dir, max_seconds):
    state_dir = os.path.abspath(state_dir)
    os.makedirs(state_dir, exist_ok=True)
    state_file = os.path.join(state_dir, "state.json")
    if os.path.exists(state_file):
        stop(state_dir)  # a previous run's server: never two on one state dir
    shutil.rmtree(os.path.join(state_dir, "data"), ignore_errors=True)  # every run starts empty
    subprocess.Popen([sys.executable, os.path.abspath(__file__), "run", state_dir, "--max-seconds", str(max_seconds)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=open(os.path.join(state_dir, "supervisor.log"), "w"), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if os.path.exists(state_file):
            with open(state_file) as f:
                state = json.load(f)
            print(json.dumps(state))
            return 0
        time.sleep(0.1)
    print("s3 test server did not start; see " + state_dir, file=sys.stderr)
    return 1


def processes_of(state_dir):
    """Pids whose command line names this state dir (the supervisor and s3rver)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if state_dir.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def stop(state_dir):
    state_dir = os.path.abspath(state_dir)
    state_file = os.path.join(state_dir, "state.json")
    pids = []
    if os.path.exists(state_file):
        with open(state_file) as f:
            state = json.load(f)
        pids = [state["supervisor_pid"], state["server_pid"]]
        os.unlink(state_file)  # the supervisor notices and stops s3rver itself
    deadline = time.monotonic() + 15
    while processes_of(state_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = processes_of(state_dir)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if left:
        print("s3 test server: had to kill %s" % left, file=sys.stderr)
        return 1
    print("s3 test server stopped (pids %s gone)" % pids)
    return 0


def main(argv):
    if len(argv) < 3 or argv[1] not in ("start", "stop", "run"):
        print(__doc__, file=sys.stderr)
        return 2
    max_seconds = float(argv[argv.index("--max-seconds") + 1]) if "--max-seconds" in argv else 3600
    if argv[1] == "run":
        run(os.path.abspath(argv[2]), max_seconds)
        return 0
    return start(argv[2], max_seconds) if argv[1] == "start" else stop(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
