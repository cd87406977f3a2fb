"""OpenWhisk's action container protocol on port 8080, for proxies written in Python.

The python:3.11 runtime and the blackbox skeleton share this module; each supplies a runtime object
with init(value) (raises InitError) and run(args) -> (status, result). This module handles the
routes, init-once, one run at a time unless __OW_ALLOW_CONCURRENT is set, the __OW_* environment
(reset to what init left before every run, so no run's values outlive it), the container's secret and
the end-of-activation sentinels.
"""

import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n"
# The invoker hands each container a secret in this variable and sends it with every /init and /run in
# this header, so that nobody else (another action's code, say) can initialize or run this container.
SECRET_ENV = "EDGEWHISK_PROXY_SECRET"
SECRET_HEADER = "X-EdgeWhisk-Proxy-Secret"


class InitError(Exception):
    """An /init failure whose message is meant for the action's developer."""


def env_string(value):
    return value if isinstance(value, str) else json.dumps(value)


def write_sentinels():
    # Flush the action's own output first, so the sentinel comes after all of it.
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        stream.write(SENTINEL)
        stream.flush()


def ow_env():
    return {k: v for k, v in os.environ.items() if k.startswith("__OW_")}


def restore_ow_env(baseline):
    """Puts the __OW_* variables back as they were after init."""
    for key in [k for k in os.environ if k.startswith("__OW_") and k not in baseline]:
        del os.environ[key]
    os.environ.update(baseline)


def authorized(given, secret):
    """The request carries the container's secret (compared in constant time), or no secret is set."""
    if not secret:
        return True
    if given is None:
        return False
    digest = lambda s: hashlib.sha256(s.encode("utf-8", "surrogateescape")).digest()  # noqa: E731
    return hmac.compare_digest(digest(given), digest(secret))


def concurrency_allowed():
    return os.environ.get("__OW_ALLOW_CONCURRENT", "") not in ("", "false", "0")


class ActionProxy:
    """The protocol's state machine: uninitialized, initializing, ready."""

    def __init__(self, runtime, secret=None):
        self._runtime = runtime
        self.secret = secret
        self._ow_baseline = ow_env()
        self._state_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._init_started = False
        self._ready = False

    def init(self, body):
        with self._state_lock:
            if self._init_started:
                return 403, {"error": "Cannot initialize the action more than once."}
            self._init_started = True
        value = body.get("value") if isinstance(body, dict) else None
        try:
            if not isinstance(value, dict):
                raise InitError("Missing the \"value\" of the /init request.")
            env = value.get("env")
            if isinstance(env, dict):
                for key, val in env.items():
                    os.environ[str(key)] = env_string(val)
            self._runtime.init(value)
        except Exception as e:  # any failure of the action's code is the developer's to see
            with self._state_lock:
                self._init_started = False
            message = str(e) if isinstance(e, InitError) else \
                "Initialization has failed due to: " + "".join(traceback.format_exception_only(type(e), e)).strip()
            print(message, file=sys.stderr)
            write_sentinels()
            return 502, {"error": message}
        self._ow_baseline = ow_env()
        self._ready = True
        return 200, {"OK": True}

    def run(self, body):
        if not self._ready:
            write_sentinels()
            return 500, {"error": "The action has not been initialized."}
        if concurrency_allowed():
            return self._run(body)
        with self._run_lock:
            return self._run(body)

    def _run(self, body):
        body = body if isinstance(body, dict) else {}
        restore_ow_env(self._ow_baseline)
        for key, val in body.items():
            if key != "value":
                os.environ["__OW_" + str(key).upper()] = env_string(val)
        args = body.get("value", {})
        try:
            status, result = self._runtime.run(args)
        except Exception as e:
            traceback.print_exc()
            status, result = 502, {"error": "An error has occurred: " +
                                   "".join(traceback.format_exception_only(type(e), e)).strip()}
        write_sentinels()
        return status, result


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the invoker reuses one connection per container
    disable_nagle_algorithm = True
    proxy = None  # set by serve()

    def do_POST(self):
        raw = self._read_body()
        route = {"/init": self.proxy.init, "/run": self.proxy.run}.get(self.path)
        if route is None:
            self._send(404, {"error": "No route for POST %s." % self.path})
            return
        if not authorized(self.headers.get(SECRET_HEADER), self.proxy.secret):
            # nothing of this request reaches the action, its state or its logs
            self._send(403, {"error": "This container serves only the invoker that started it."})
            return
        try:
            body = json.loads(raw) if raw else {}
        except ValueError as e:
            self._send(400, {"error": "The request body is not JSON: %s" % e})
            return
        status, result = route(body)
        try:
            payload = json.dumps(result)
        except (TypeError, ValueError) as e:
            status, payload = 502, json.dumps({"error": "The action's result is not serializable to JSON: %s" % e})
        self._send_raw(status, payload.encode("utf-8"))

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            # A client that streams its body (no Content-Length) sends it in chunks.
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        self._send(404, {"error": "No route for GET %s." % self.path})

    def _send(self, status, obj):
        self._send_raw(status, json.dumps(obj).encode("utf-8"))

    def _send_raw(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # a request log line on stderr would land in the activation's logs


def make_server(runtime, host="", port=8080, secret=None):
    """Creates (without starting) the HTTP server of a proxy for the given runtime."""
    handler = type("Handler", (_Handler,), {"proxy": ActionProxy(runtime, secret)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(runtime):
    # As PID 1 of a container, Python would ignore SIGTERM; stop at once so `podman stop` is quick.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The secret leaves the environment before any action code runs (a blackbox's exec inherits it).
    secret = os.environ.pop(SECRET_ENV, None)
    make_server(runtime, port=int(os.environ.get("PORT", "8080")), secret=secret).serve_forever()
