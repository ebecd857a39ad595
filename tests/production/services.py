"""Real services started for the production tests: moto's S3 server, a private redis-server,
the TCP forwarder that cuts a service off, each in its own process."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import redis

from tests.media_pipeline.workers import ROOT, free_port

BIN = Path(sys.executable).parent


def popen(args: list[str], *, log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(check, *, timeout: float, what: str, process=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except Exception:  # not up yet
            value = None
        if value:
            return value
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            details = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what} did not come up in {timeout} s\n{details}")
        time.sleep(0.1)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_moto(log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = popen([str(BIN / "moto_server"), "-p", str(port)], log=log)
    endpoint = f"http://127.0.0.1:{port}"

    def answers():
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1)
        except urllib.error.HTTPError:
            pass  # it answers
        return True

    wait_until(answers, timeout=30, what="moto_server", process=server, log=log)
    return server, endpoint


def start_redis(port: int, log: Path) -> subprocess.Popen:
    server = popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        log=log,
    )  # fmt: skip
    client = redis.Redis(port=port)
    wait_until(client.ping, timeout=15, what="redis-server", process=server, log=log)
    return server


def start_proxy(listen: int, target: int, log: Path) -> subprocess.Popen:
    proxy = popen(
        [sys.executable, "-m", "tests.production.tcp_proxy", str(listen), str(target)], log=log
    )
    wait_until(lambda: port_open(listen), timeout=15, what="the TCP forwarder", process=proxy)
    return proxy
