"""Fast unit tests of the python action proxy and the shared protocol module, in-process on the host."""

import base64
import contextlib
import io
import json
import os
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proxy"))

import protocol  # noqa: E402
import pyaction  # noqa: E402


def zip_base64(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return base64.b64encode(buf.getvalue()).decode()


class ProxyServer:
    """A proxy on a free port of 127.0.0.1, with the sentinels' streams captured."""

    def __init__(self, test, runtime, secret="s3cret"):
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        self.secret = secret
        test.enterContext(contextlib.redirect_stdout(self.stdout))
        test.enterContext(contextlib.redirect_stderr(self.stderr))
        self.server = protocol.make_server(runtime, host="127.0.0.1", port=0, secret=secret)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        test.addCleanup(self.server.server_close)
        test.addCleanup(self.server.shutdown)

    def post(self, route, body, secret=True):
        port = self.server.server_address[1]
        headers = {} if secret is None else {protocol.SECRET_HEADER: self.secret if secret is True else secret}
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, route), data=json.dumps(body).encode(),
                                     method="POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, json.load(res)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)


class PythonRuntimeTest(unittest.TestCase):
    def setUp(self):
        self.dir = self.enterContext(tempfile.TemporaryDirectory())
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.addCleanup(os.chdir, self.cwd)
        self.addCleanup(lambda: sys.path.__setitem__(slice(None), self.path))

    def runtime(self, value):
        rt = pyaction.PythonRuntime(work_dir=self.dir)
        rt.init(value)
        return rt

    def test_source_with_main_and_configured_name(self):
        self.assertEqual(self.runtime({"code": "def main(a):\n    return {'x': a['x'] * 2}\n"}).run({"x": 21}), (200, {"x": 42}))
        self.assertEqual(self.runtime({"code": "def go(a):\n    return [1, 2]", "main": "go"}).run({}), (200, [1, 2]))

    def test_init_errors_explain_the_problem(self):
        with self.assertRaisesRegex(protocol.InitError, "SyntaxError"):
            self.runtime({"code": "def main(:\n"})
        with self.assertRaisesRegex(protocol.InitError, "function 'main' not found"):
            self.runtime({"code": "def other(a):\n    return {}\n"})
        with self.assertRaisesRegex(protocol.InitError, "Missing code"):
            self.runtime({"code": ""})
        with self.assertRaisesRegex(protocol.InitError, "ZeroDivisionError"):
            self.runtime({"code": "x = 1 / 0\n"})

    def test_results_that_are_not_dicts_or_lists_and_exceptions_are_502(self):
        with contextlib.redirect_stderr(io.StringIO()):
            for value in ("'text'", "42", "None"):
                status, body = self.runtime({"code": "def main(a):\n    return %s\n" % value}).run({})
                self.assertEqual(status, 502, value)
                self.assertIn("did not return a dictionary", body["error"])
            status, body = self.runtime({"code": "def main(a):\n    raise ValueError('bad input')\n"}).run({})
        self.assertEqual((status, body), (502, {"error": "An error has occurred: ValueError: bad input"}))

    def test_error_result_is_a_normal_response(self):
        self.assertEqual(self.runtime({"code": "def main(a):\n    return {'error': 'app'}\n"}).run({}), (200, {"error": "app"}))

    def test_zip_with_main_module_helper_and_virtualenv(self):
        code = zip_base64({
            "__main__.py": "import helper, greetlib\ndef main(a):\n    return {'msg': greetlib.greet(helper.name(a))}\n",
            "helper.py": "def name(a):\n    return a.get('name', 'nobody')\n",
            "virtualenv/lib/python3.11/site-packages/greetlib/__init__.py": "def greet(n):\n    return 'hello ' + n\n",
        })
        self.assertEqual(self.runtime({"code": code, "binary": True}).run({"name": "zip"}), (200, {"msg": "hello zip"}))

    def test_zip_without_main_module(self):
        with self.assertRaisesRegex(protocol.InitError, "__main__.py"):
            self.runtime({"code": zip_base64({"other.py": "x = 1\n"}), "binary": True})


class ProtocolTest(unittest.TestCase):
    def setUp(self):
        # the proxies share this process's environment: no test's __OW_* values may reach the next
        self.addCleanup(lambda: [os.environ.pop(k) for k in list(os.environ) if k.startswith("__OW_")])
        self.proxy = ProxyServer(self, pyaction.PythonRuntime(work_dir=self.enterContext(tempfile.TemporaryDirectory())))

    def test_init_once_env_and_sentinels(self):
        code = ("import os\ndef main(a):\n    return {'a': a, 'ns': os.environ['__OW_NAMESPACE'],"
                " 'dl': os.environ['__OW_DEADLINE'], 'g': os.environ['GREETING']}\n")
        self.assertEqual(self.proxy.post("/init", {"value": {"code": code, "env": {"GREETING": "hi"}}}), (200, {"OK": True}))
        self.assertEqual(self.proxy.post("/init", {"value": {"code": code}}),
                         (403, {"error": "Cannot initialize the action more than once."}))
        self.assertEqual(self.proxy.post("/run", {"value": {"x": 1}, "namespace": "guest", "deadline": 99}),
                         (200, {"a": {"x": 1}, "ns": "guest", "dl": "99", "g": "hi"}))
        self.assertEqual(self.proxy.stdout.getvalue(), protocol.SENTINEL)
        self.assertEqual(self.proxy.stderr.getvalue(), protocol.SENTINEL)

    def test_failed_init_writes_sentinels(self):
        status, body = self.proxy.post("/init", {"value": {"code": "def main(:"}})
        self.assertEqual(status, 502)
        self.assertIn("SyntaxError", body["error"])
        self.assertEqual(self.proxy.stdout.getvalue(), protocol.SENTINEL)
        self.assertTrue(self.proxy.stderr.getvalue().endswith(protocol.SENTINEL))

    def test_chunked_request_body(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.proxy.server.server_address[1], timeout=10)
        self.addCleanup(conn.close)
        body = json.dumps({"value": {"code": "def main(a):\n    return {'ok': True}\n"}}).encode()
        conn.request("POST", "/init", body=iter([body[:10], body[10:]]), encode_chunked=True,
                     headers={"Transfer-Encoding": "chunked", protocol.SECRET_HEADER: self.proxy.secret})
        res = conn.getresponse()
        self.assertEqual((res.status, json.load(res)), (200, {"OK": True}))

    def test_serves_only_the_holder_of_the_secret(self):
        code = "runs = [0]\ndef main(a):\n    runs[0] += 1\n    return {'runs': runs[0]}\n"
        for secret in (None, "", "wrong", "s3cret-and-more"):
            planted = {"value": {"code": "def main(a):\n    return {'planted': True}\n"}}
            self.assertEqual(self.proxy.post("/init", planted, secret=secret)[0], 403, secret)
            self.assertEqual(self.proxy.post("/run", {"value": {}}, secret=secret)[0], 403, secret)
        self.assertEqual(self.proxy.stdout.getvalue(), "", "a refused request writes no sentinel")
        self.assertEqual(self.proxy.post("/init", {"value": {"code": code}}), (200, {"OK": True}))
        self.assertEqual(self.proxy.post("/run", {"value": {}}), (200, {"runs": 1}))
        self.assertEqual(self.proxy.post("/run", {"value": {}}, secret="wrong")[0], 403)
        self.assertEqual(self.proxy.post("/run", {"value": {}}), (200, {"runs": 2}))

    def test_keeps_no_ow_value_of_a_run_for_the_next(self):
        code = ("import os\ndef main(a):\n    return {k: os.environ.get('__OW_' + k.upper())"
                " for k in ('api_key', 'api_host', 'extra', 'namespace')}\n")
        init = {"value": {"code": code, "env": {"__OW_NAMESPACE": "from-init"}}}
        self.assertEqual(self.proxy.post("/init", init), (200, {"OK": True}))
        first = {"value": {}, "namespace": "guest", "api_key": "guest:key", "api_host": "http://elsewhere", "extra": 1}
        self.assertEqual(self.proxy.post("/run", first)[1],
                         {"api_key": "guest:key", "api_host": "http://elsewhere", "extra": "1", "namespace": "guest"})
        self.assertEqual(self.proxy.post("/run", {"value": {}})[1],
                         {"api_key": None, "api_host": None, "extra": None, "namespace": "from-init"})

    def test_run_before_init(self):
        self.assertEqual(self.proxy.post("/run", {"value": {}})[0], 500)

    def max_overlap(self):
        code = ("import threading, time\nlock = threading.Lock()\nnow = [0, 0]\n"
                "def main(a):\n    with lock:\n        now[0] += 1; now[1] = max(now)\n"
                "    time.sleep(0.1)\n    with lock:\n        now[0] -= 1\n    return {'max': now[1]}\n")
        self.proxy.post("/init", {"value": {"code": code}})
        results = []
        threads = [threading.Thread(target=lambda: results.append(self.proxy.post("/run", {"value": {}}))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return max(body["max"] for _, body in results)

    def test_runs_one_at_a_time_by_default(self):
        self.assertEqual(self.max_overlap(), 1)

    def test_runs_overlap_when_allowed(self):
        os.environ["__OW_ALLOW_CONCURRENT"] = "true"
        self.assertEqual(self.max_overlap(), 4)


if __name__ == "__main__":
    unittest.main()
