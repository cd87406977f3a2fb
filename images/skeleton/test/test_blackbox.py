"""Fast unit tests of the blackbox skeleton's runtime, in-process on the host (scripts run for real)."""

import base64
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "proxy"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "proxy"))

import blackbox  # noqa: E402
import protocol  # noqa: E402

SCRIPT = """#!/bin/sh
echo "a log line"
echo "to stderr" >&2
printf '{"args": %s, "ns": "%s"}\\n' "$1" "$__OW_NAMESPACE"
"""


def zip_base64(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, (data, mode) in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            z.writestr(info, data)
    return base64.b64encode(buf.getvalue()).decode()


class BlackboxRuntimeTest(unittest.TestCase):
    def setUp(self):
        self.dir = self.enterContext(tempfile.TemporaryDirectory())
        self.out = self.enterContext(contextlib.redirect_stdout(io.StringIO()))
        os.environ["__OW_NAMESPACE"] = "guest"
        self.addCleanup(os.environ.pop, "__OW_NAMESPACE", None)
        self.runtime = blackbox.BlackboxRuntime(action_dir=self.dir)

    def test_script_gets_arguments_and_env_and_earlier_lines_are_logs(self):
        self.runtime.init({"code": SCRIPT})
        self.assertEqual(self.runtime.run({"x": [1, 2]}), (200, {"args": {"x": [1, 2]}, "ns": "guest"}))
        self.assertEqual(self.out.getvalue(), "a log line\n")

    def test_zip_with_exec_and_a_bundled_helper(self):
        code = zip_base64({
            "exec": ("#!/bin/sh\nexec ./helper.sh \"$1\"\n", 0o100755),
            "helper.sh": ("#!/bin/sh\necho '[\"from helper\"]'\n", 0o100755),
        })
        self.runtime.init({"code": code, "binary": True})
        self.assertEqual(self.runtime.run({}), (200, ["from helper"]))

    def test_last_line_that_is_not_json_is_502_and_stays_in_the_logs(self):
        self.runtime.init({"code": "#!/bin/sh\necho first\necho 'not json'\nexit 3\n"})
        self.assertEqual(self.runtime.run({}), (502, {"error": "The action did not return a dictionary or array (exit status 3)."}))
        self.assertEqual(self.out.getvalue(), "first\nnot json\n")

    def test_a_json_scalar_is_not_a_result(self):
        self.runtime.init({"code": "#!/bin/sh\necho 42\n"})
        self.assertEqual(self.runtime.run({})[0], 502)

    def test_without_code_an_exec_already_in_the_image_is_used(self):
        with open(os.path.join(self.dir, "exec"), "w") as f:
            f.write("#!/bin/sh\necho '{\"baked\": true}'\n")
        self.runtime.init({})
        self.assertEqual(self.runtime.run({}), (200, {"baked": True}))

    def test_init_errors(self):
        with self.assertRaisesRegex(protocol.InitError, "no executable was sent"):
            self.runtime.init({})
        with self.assertRaisesRegex(protocol.InitError, "#!"):
            self.runtime.init({"code": "echo no shebang"})
        with self.assertRaisesRegex(protocol.InitError, "'exec'"):
            self.runtime.init({"code": zip_base64({"run.sh": ("#!/bin/sh\n", 0o100755)}), "binary": True})
        with self.assertRaisesRegex(protocol.InitError, "unzip"):
            self.runtime.init({"code": base64.b64encode(b"not a zip").decode(), "binary": True})


if __name__ == "__main__":
    unittest.main()
