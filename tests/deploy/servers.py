"""Real servers for the deployment tests: moto's S3-compatible server, varnishd and gunicorn.

Each runs in a subprocess on a free port and is stopped by its context manager. A tool that
is missing skips the test on a developer's machine and fails it in CI (`CI=true`), where
.ci/run installs it. Port and service helpers come from tests/faults.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest

from tests.faults.test_services_down import free_port, psql, reachable, require

REPO = Path(__file__).resolve().parents[2]
VCL = REPO / "docker" / "varnish" / "default.vcl"
__all__ = ["free_port", "psql", "reachable", "require"]


def require_tool(name: str, how: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{name} is not installed; CI installs it ({how})")
    pytest.skip(f"{name} is not installed ({how})")


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if reachable("127.0.0.1", port):
            return
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening")
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's standalone S3-compatible server (`moto[server]`); yields its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
    "AWS_S3_REGION_NAME": "eu-west-2",
}


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The environment a deployment sets for its bucket, pointed at the local server."""
    return {
        **S3_CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
    }


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_CREDENTIALS["AWS_S3_REGION_NAME"],
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def make_bucket(endpoint: str, bucket: str) -> None:
    """A bucket with the policy the README gives: images public, documents private."""
    client = s3_client(endpoint)
    client.create_bucket(
        Bucket=bucket,
        CreateBucketConfiguration={"LocationConstraint": S3_CREDENTIALS["AWS_S3_REGION_NAME"]},
    )
    policy = (REPO / "docker" / "s3" / "bucket-policy.json").read_text()
    client.put_bucket_policy(Bucket=bucket, Policy=policy.replace("BUCKET", bucket))


def bucket_keys(endpoint: str, bucket: str) -> set[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listing.get("Contents", [])}


@contextmanager
def varnish(
    backend_port: int, port: int | None = None, app_address: str = "127.0.0.1"
) -> Iterator[dict]:
    """varnishd in the foreground (-F) with the repository's VCL, in front of one backend.

    The VCL names its backend `app:8000` as in docker-compose; the test's copy points it at
    the gunicorn on `backend_port` instead, and at `app_address` for the purge ACL.
    """
    varnishd = require_tool("varnishd", "apt-get install -y varnish")
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="sanctuary-varnish-"))
    vcl = (
        VCL.read_text()
        .replace('.host = "web";', '.host = "127.0.0.1";')
        .replace('.port = "8000";', f'.port = "{backend_port}";')
        .replace('"web"; # purgers', f'"{app_address}"; # purgers')
    )
    (workdir / "default.vcl").write_text(vcl)
    # Run as root, varnishd reads its VCL and keeps its state as its own unprivileged user.
    workdir.chmod(0o755)
    (workdir / "default.vcl").chmod(0o644)
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-n",
            str(workdir / "state"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(workdir / "default.vcl"),
            "-s",
            "malloc,64m",
            "-p",
            "default_ttl=60",
        ],
        stdout=open(workdir / "varnishd.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, "varnishd", seconds=30)
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "log": workdir / "varnishd.log"}
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def scratch_database(name: str) -> str:
    """A new, empty PostgreSQL database; its URL."""
    require("127.0.0.1", 5432, "PostgreSQL")
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def reopen_demo_invitation(env: dict[str, str]) -> None:
    """A campaign day on the server's demo content: its invitation's files are served."""
    manage(env, "shell", "-c", "from tests.campaign_day import reopen_demo_invitation as r; r()")


def manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *command],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[dict]:
    """A real gunicorn with the repository's gunicorn.conf.py on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}"],
        env={**env, "GUNICORN_WORKERS": str(workers)},
        cwd=REPO,
        stdout=open(log, "a"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, "gunicorn")
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "process": process}
    finally:
        stop(process)


def production_environment(scratch: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "deploy-test-" + "x" * 50,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(REPO),
        **extra,
    }
    for name in ("AWS_STORAGE_BUCKET_NAME", "FRONTEND_CACHE_PURGE_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET", data: bytes | None = None
) -> tuple[int, Message, bytes]:
    """Status, headers (looked up case-insensitively) and body; redirects are not followed."""
    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
