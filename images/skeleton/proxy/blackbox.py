"""The blackbox skeleton (OpenWhisk's dockerskeleton): an action is an executable /action/exec.

/init installs it from a base64 zip holding `exec` (a native binary or a script) or from the text of a
script (starting with #!); with no code, an /action/exec already in the image is used, which is how a
user's own image derived from this one runs. /run executes it with the JSON arguments as its single
argument; the last line of its stdout is the JSON result, earlier lines and stderr are its logs.

Run as a program it is the container's action proxy on port 8080.
"""

import base64
import io
import json
import os
import stat
import subprocess
import sys
import zipfile

import protocol

ACTION_DIR = os.environ.get("EDGEWHISK_ACTION_DIR", "/action")


class BlackboxRuntime:
    def __init__(self, action_dir=ACTION_DIR):
        self._dir = action_dir
        self._exec = os.path.join(action_dir, "exec")

    def init(self, value):
        code = value.get("code")
        os.makedirs(self._dir, exist_ok=True)
        if not code:
            if not os.path.isfile(self._exec):
                raise protocol.InitError("Missing code: no executable was sent and the image has no %s." % self._exec)
        elif value.get("binary"):
            self._unpack(code)
        elif code.startswith("#!"):
            with open(self._exec, "w", encoding="utf-8") as f:
                f.write(code)
        else:
            raise protocol.InitError("The action's code must be a script starting with #! or a zip holding an executable 'exec'.")
        os.chmod(self._exec, os.stat(self._exec).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def _unpack(self, code):
        try:
            with zipfile.ZipFile(io.BytesIO(base64.b64decode(code))) as archive:
                archive.extractall(self._dir)
                for info in archive.infolist():  # zipfile drops Unix modes; a bundled helper may need its x bit
                    mode = info.external_attr >> 16
                    if mode & 0o111 and not info.is_dir():
                        target = os.path.join(self._dir, info.filename)
                        os.chmod(target, os.stat(target).st_mode | 0o755)
        except (ValueError, zipfile.BadZipFile) as e:
            raise protocol.InitError("Unable to unzip the action: %s" % e) from None
        if not os.path.isfile(self._exec):
            raise protocol.InitError("Zipped blackbox actions must contain an executable named 'exec' at the top level.")

    def run(self, args):
        try:
            # stderr goes straight to the container's stderr; stdout is read to find the result.
            done = subprocess.run([self._exec, json.dumps(args)], cwd=self._dir, stdout=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL)
        except OSError as e:
            return 502, {"error": "The action could not be started: %s" % e}
        lines = done.stdout.decode("utf-8", errors="replace").splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        last = lines.pop() if lines else ""
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
        try:
            result = json.loads(last)
        except ValueError:
            result = None
        if isinstance(result, (dict, list)):
            return 200, result
        if last:
            sys.stdout.write(last + "\n")  # not a result after all: keep it in the logs
        status = "" if done.returncode == 0 else " (exit status %d)" % done.returncode
        return 502, {"error": "The action did not return a dictionary or array%s." % status}


if __name__ == "__main__":
    protocol.serve(BlackboxRuntime())
