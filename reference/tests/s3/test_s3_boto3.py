"""casblob's CLI and boto3 on one S3 store (ctest fixture `s3`; run with /usr/bin/python3).

boto3 writes objects exactly as Metaflow's S3Storage.save_bytes does (Metaflow 2.19:
`S3.put(key, obj, overwrite=True, metadata=meta)` -> `upload_fileobj(blob, bucket, key,
ExtraArgs={"Metadata": {"metaflow-user-attributes": json.dumps(meta)}})`, no ContentType;
the v1 payload is `GzipFile(mode="wb", compresslevel=3)`), and reads them back as S3Object
does (`json.loads(metadata["metaflow-user-attributes"])`). casblob must read the former and
write the latter.
"""

import gzip
import hashlib
import io
import json
import os
import resource
import subprocess
import uuid

import boto3
import botocore.config
import lz4.frame
import pytest

STATE = json.load(open(os.environ["CASBLOB_S3_STATE"]))
CASBLOB = os.environ["CASBLOB"]
SIDECAR = "metaflow-user-attributes"
FLOW = "BotoFlow"


@pytest.fixture
def bucket():
    name = "py-" + uuid.uuid4().hex[:20]
    client().create_bucket(Bucket=name)
    return name


def client():
    return boto3.client("s3", endpoint_url=STATE["endpoint"], region_name=STATE["region"],
                        aws_access_key_id=STATE["access_key"], aws_secret_access_key=STATE["secret_key"],
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("METAFLOW_")}
    e.update(AWS_ACCESS_KEY_ID=STATE["access_key"], AWS_SECRET_ACCESS_KEY=STATE["secret_key"],
             AWS_ENDPOINT_URL_S3=STATE["endpoint"], HOME="/nonexistent")
    e.update(extra)
    return e


def casblob(*args, environ=None, check=True):
    r = subprocess.run([CASBLOB, *args], capture_output=True, env=environ or env())
    if check and r.returncode != 0:
        raise AssertionError("casblob %s: exit %d: %s" % (args, r.returncode, r.stderr.decode()))
    return r


def metaflow_pack_v1(content):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=3) as f:
        f.write(content)
    return buf.getvalue()


def metaflow_save_bytes(bucket, key, payload, meta):
    """What S3Storage.save_bytes sends for one blob (the sequential S3.put path)."""
    extra = {"Metadata": {SIDECAR: json.dumps(meta)}} if meta is not None else None
    client().upload_fileobj(io.BytesIO(payload), bucket, "ds/%s/data/%s/%s" % (FLOW, key[:2], key), ExtraArgs=extra)


def get(bucket, key, profile="strict", **kw):
    return casblob("get", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--profile", profile, key, "-", **kw)


CONTENT = b"".join(b"artifact %d of a metaflow run\n" % i for i in range(5000))
KEY = hashlib.sha1(CONTENT).hexdigest()


def test_casblob_reads_what_metaflow_writes_v1_and_raw(bucket):
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), {"cas_raw": False, "cas_version": 1})
    raw = b"raw artifact bytes"
    raw_key = hashlib.sha1(raw).hexdigest()
    metaflow_save_bytes(bucket, raw_key, raw, {"cas_raw": True, "cas_version": 1})
    for profile in ("legacy", "v2", "strict"):
        assert get(bucket, KEY, profile).stdout == CONTENT
        assert get(bucket, raw_key, profile).stdout == raw


def test_put_many_bug_blob_without_metadata_reads_as_gzip(bucket):
    # Metaflow 2.9.5-2.19.19 uploaded put_many blobs without their metadata: "no sidecar" is gzip.
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), None)
    assert client().head_object(Bucket=bucket, Key="ds/%s/data/%s/%s" % (FLOW, KEY[:2], KEY))["Metadata"] == {}
    assert get(bucket, KEY, "legacy").stdout == CONTENT
    assert get(bucket, KEY, "strict").stdout == CONTENT


@pytest.mark.parametrize("version,raw", [(1, False), (2, False), (1, True), (2, True)])
def test_boto3_reads_what_casblob_writes(bucket, tmp_path, version, raw):
    src = tmp_path / "artifact"
    src.write_bytes(CONTENT)
    args = ["put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--version", str(version), "--json", str(src)]
    out = json.loads(casblob(*(args + (["--raw"] if raw else []))).stdout)
    assert out["objects"][0]["key"] == KEY
    head = client().head_object(Bucket=bucket, Key="ds/%s/data/%s/%s" % (FLOW, KEY[:2], KEY))
    # The same metadata Metaflow writes, parsed the way Metaflow's S3Object parses it.
    assert head["Metadata"] == {SIDECAR: json.dumps({"cas_raw": raw, "cas_version": version})}
    assert json.loads(head["Metadata"][SIDECAR]) == {"cas_raw": raw, "cas_version": version}
    assert head["ContentType"] == "binary/octet-stream"  # what boto3's upload_fileobj leaves, measured
    body = client().get_object(Bucket=bucket, Key="ds/%s/data/%s/%s" % (FLOW, KEY[:2], KEY))["Body"].read()
    decoded = body if raw else (gzip.decompress(body) if version == 1 else lz4.frame.decompress(body))
    assert decoded == CONTENT


def test_replace_copy_loses_the_sidecar_and_put_rebuilds_the_canonical_one(bucket, tmp_path):
    src = tmp_path / "artifact"
    src.write_bytes(CONTENT)
    casblob("put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--version", "2", str(src))
    obj = "ds/%s/data/%s/%s" % (FLOW, KEY[:2], KEY)
    # A copy with MetadataDirective=REPLACE and no Metadata: measured here, the metadata is gone.
    client().copy_object(Bucket=bucket, Key=obj, CopySource={"Bucket": bucket, "Key": obj}, MetadataDirective="REPLACE")
    assert client().head_object(Bucket=bucket, Key=obj)["Metadata"] == {}
    strict = get(bucket, KEY, "strict", check=False)
    assert strict.returncode == 15 and strict.stdout == b""  # format_mismatch: lz4 where gzip is implied
    legacy = get(bucket, KEY, "legacy", check=False)
    assert legacy.returncode != 0 and legacy.stdout == b""
    out = json.loads(casblob("put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--json", str(src)).stdout)
    assert out["objects"][0]["outcome"] == "sidecar_healed"
    assert client().head_object(Bucket=bucket, Key=obj)["Metadata"] == {SIDECAR: '{"cas_raw": false, "cas_version": 2}'}
    assert get(bucket, KEY, "v2").stdout == CONTENT


@pytest.mark.parametrize("value,strict_exit,legacy_exit", [
    ("not json", 10, 20),          # Metaflow: json.loads raises in S3Object: unhandled
    ('{"cas_raw": false}', 11, 11),  # no cas_version: Metaflow's DataException "Could not extract encoding version"
])
def test_metadata_that_is_not_a_sidecar(bucket, value, strict_exit, legacy_exit):
    client().upload_fileobj(io.BytesIO(metaflow_pack_v1(CONTENT)), bucket, "ds/%s/data/%s/%s" % (FLOW, KEY[:2], KEY),
                            ExtraArgs={"Metadata": {SIDECAR: value}})
    assert get(bucket, KEY, "strict", check=False).returncode == strict_exit
    legacy = get(bucket, KEY, "legacy", check=False)
    assert legacy.returncode == legacy_exit


def test_missing_credentials_are_a_usage_error_that_says_where_to_put_them(bucket):
    e = env()
    del e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"]
    r = get(bucket, KEY, environ=e, check=False)
    assert r.returncode == 2
    assert b"no AWS credentials" in r.stderr and b"AWS_ACCESS_KEY_ID" in r.stderr


def test_profile_credentials_and_metaflow_endpoint_variable(bucket, tmp_path):
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), {"cas_raw": False, "cas_version": 1})
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(
        "[ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (STATE["access_key"], STATE["secret_key"]))
    e = env(HOME=str(tmp_path), AWS_PROFILE="ci", METAFLOW_S3_ENDPOINT_URL=STATE["endpoint"],
            AWS_ENDPOINT_URL_S3="http://127.0.0.1:9")  # Metaflow's variable wins, as in Metaflow
    del e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"]
    assert get(bucket, KEY, environ=e).stdout == CONTENT


def test_get_never_writes_to_the_store(bucket):
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), {"cas_raw": False, "cas_version": 1})
    before = stats(bucket)
    get(bucket, KEY)
    get(bucket, "0" * 40, check=False)
    after = stats(bucket)
    assert after["requests"].get("PUT", 0) == before["requests"].get("PUT", 0)
    assert after["requests"].get("DELETE", 0) == 0


def stats(bucket):
    import urllib.request
    with urllib.request.urlopen(STATE["endpoint"] + "/__proxy/stats?bucket=" + bucket) as r:
        return json.load(r)


def test_large_lz4_blob_streams_with_bounded_memory(bucket, tmp_path):
    content = bytes(range(256)) * (1 << 20)  # 256 MiB
    src = tmp_path / "big"
    src.write_bytes(content)
    key = json.loads(casblob("put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--version", "2", "--json",
                             str(src)).stdout)["objects"][0]["key"]
    out = tmp_path / "out"
    code = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:],check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    r = subprocess.run(["/usr/bin/python3", "-c", code, CASBLOB, "get", "--root", "s3://%s/ds" % bucket, "--flow", FLOW,
                        key, str(out)], capture_output=True, env=env(), check=True)
    peak_kib = int(r.stdout)
    assert out.stat().st_size == len(content)
    assert hashlib.sha1(out.read_bytes()).hexdigest() == key
    assert peak_kib < 64 * 1024, "get held %d KiB for a 256 MiB blob" % peak_kib


def test_put_jobs_stores_every_file_and_reports_in_argument_order(bucket, tmp_path):
    files = []
    for i in range(12):
        f = tmp_path / ("f%02d" % i)
        f.write_bytes(b"file %d\n" % i * (i + 1) * 100)
        files.append(str(f))
    out = json.loads(casblob("put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--jobs", "4", "--json", *files).stdout)
    assert [o["file"] for o in out["objects"]] == files
    for o, f in zip(out["objects"], files):
        assert o["key"] == hashlib.sha1(open(f, "rb").read()).hexdigest()
        assert get(bucket, o["key"]).stdout == open(f, "rb").read()


def test_endpoint_url_option_beats_the_environment(bucket):
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), {"cas_raw": False, "cas_version": 1})
    e = env(AWS_ENDPOINT_URL_S3="http://127.0.0.1:9", METAFLOW_S3_ENDPOINT_URL="http://127.0.0.1:9")
    r = casblob("get", "--endpoint-url", STATE["endpoint"], "--root", "s3://%s/ds" % bucket, "--flow", FLOW, KEY, "-",
                environ=e)
    assert r.stdout == CONTENT


def test_audit_of_an_s3_store_finds_the_lost_sidecar_and_writes_nothing(bucket, tmp_path):
    # What Metaflow wrote (v1, sidecar in the PUT), what the 2.9.5-2.19.19 put_many path wrote (no
    # metadata), and a v2 blob whose sidecar a REPLACE copy lost: the last is the only error.
    metaflow_save_bytes(bucket, KEY, metaflow_pack_v1(CONTENT), {"cas_raw": False, "cas_version": 1})
    other = CONTENT + b"put_many"
    other_key = hashlib.sha1(other).hexdigest()
    metaflow_save_bytes(bucket, other_key, metaflow_pack_v1(other), None)
    lost = tmp_path / "lost"
    lost.write_bytes(CONTENT + b"lz4")
    lost_key = hashlib.sha1(lost.read_bytes()).hexdigest()
    casblob("put", "--root", "s3://%s/ds" % bucket, "--flow", FLOW, "--version", "2", str(lost))
    obj = "ds/%s/data/%s/%s" % (FLOW, lost_key[:2], lost_key)
    client().copy_object(Bucket=bucket, Key=obj, CopySource={"Bucket": bucket, "Key": obj}, MetadataDirective="REPLACE")
    before = stats(bucket)
    report = tmp_path / "audit.json"
    # --flow: s3rver leaves ds/BotoFlow/ out of a delimited listing of ds/ (spec 4.2.2).
    r = casblob("audit", "--no-progress", "--jobs", "4", "--flow", FLOW, "--json", str(report), "s3://%s/ds" % bucket, check=False)
    assert r.returncode == 1, r.stderr.decode()  # an error-severity finding
    findings = json.loads(report.read_text())["findings"]
    by_key = {(f["id"], f.get("key")) for f in findings}
    assert ("sidecarMissingUnreadable", lost_key) in by_key
    assert ("sidecarMissing", other_key) in by_key
    assert not any(f.get("key") == KEY for f in findings if f["severity"] == "error")
    after = stats(bucket)
    for verb in ("PUT", "POST", "DELETE"):
        assert after["requests"].get(verb, 0) == before["requests"].get(verb, 0), verb


def test_repair_on_s3_rebuilds_only_the_sidecar_the_key_proves(bucket, tmp_path):
    root = "s3://%s/ds" % bucket
    lost = tmp_path / "lost"
    lost.write_bytes(CONTENT + b"repair me")
    lost_key = hashlib.sha1(lost.read_bytes()).hexdigest()
    casblob("put", "--root", root, "--flow", FLOW, "--version", "2", str(lost))
    obj = "ds/%s/data/%s/%s" % (FLOW, lost_key[:2], lost_key)
    client().copy_object(Bucket=bucket, Key=obj, CopySource={"Bucket": bucket, "Key": obj}, MetadataDirective="REPLACE")
    # A blob whose content is not its key: nothing proves it, so repair leaves it alone.
    wrong_key = "ab" * 20
    metaflow_save_bytes(bucket, wrong_key, metaflow_pack_v1(b"not the content of " + wrong_key.encode()),
                        {"cas_raw": False, "cas_version": 1})
    wrong_obj = "ds/%s/data/%s/%s" % (FLOW, wrong_key[:2], wrong_key)
    wrong_before = client().get_object(Bucket=bucket, Key=wrong_obj)

    dry = casblob("repair", "--flow", FLOW, "--journal", str(tmp_path / "dry.jsonl"), root, check=False)
    assert dry.returncode != 2, dry.stderr.decode()
    assert client().head_object(Bucket=bucket, Key=obj)["Metadata"] == {}  # a dry run writes nothing

    r = casblob("repair", "--apply", "--flow", FLOW, "--journal", str(tmp_path / "apply.jsonl"), root, check=False)
    assert r.returncode != 2, r.stderr.decode()
    # boto3, as Metaflow's S3Object reads it, sees the canonical sidecar of the proven v2 payload.
    assert client().head_object(Bucket=bucket, Key=obj)["Metadata"] == {SIDECAR: '{"cas_raw": false, "cas_version": 2}'}
    assert get(bucket, lost_key, "v2").stdout == lost.read_bytes()
    wrong_after = client().get_object(Bucket=bucket, Key=wrong_obj)
    assert wrong_after["Metadata"] == wrong_before["Metadata"] and wrong_after["Body"].read() == wrong_before["Body"].read()
    report = tmp_path / "audit.json"
    casblob("audit", "--no-progress", "--flow", FLOW, "--json", str(report), root, check=False)
    ids = {(f["id"], f.get("key")) for f in json.loads(report.read_text())["findings"]}
    assert ("sidecarMissingUnreadable", lost_key) not in ids and ("keyMismatch", wrong_key) in ids


def test_migrate_on_s3_rolls_out_and_back_and_boto3_reads_every_step(bucket, tmp_path):
    root = "s3://%s/ds" % bucket
    files = []
    for i in range(4):
        f = tmp_path / ("a%d" % i)
        f.write_bytes(CONTENT * (i + 1))
        files.append(f)
    casblob("put", "--root", root, "--flow", FLOW, "--version", "1", *map(str, files))
    keys = [hashlib.sha1(f.read_bytes()).hexdigest() for f in files]
    for target, meta, unpack in (("2", '{"cas_raw": false, "cas_version": 2}', lz4.frame.decompress),
                                 ("1", '{"cas_raw": false, "cas_version": 1}', gzip.decompress)):
        casblob("migrate", "--apply", "--to", target, "--flow", FLOW, "--journal", str(tmp_path / ("m%s.jsonl" % target)), root)
        for f, k in zip(files, keys):
            o = client().get_object(Bucket=bucket, Key="ds/%s/data/%s/%s" % (FLOW, k[:2], k))
            assert o["Metadata"] == {SIDECAR: meta}
            assert unpack(o["Body"].read()) == f.read_bytes()  # what Metaflow's _unpack_v%s returns
            assert get(bucket, k, "legacy" if target == "1" else "v2").stdout == f.read_bytes()
