"""The python:3.11 action runtime: loads a Python action (source, or a zip with __main__.py and an
optional virtualenv/ folder) and calls its main(args).

Run as a program it is the container's action proxy on port 8080.
"""

import base64
import builtins
import glob
import io
import os
import site
import sys
import tempfile
import traceback
import zipfile

import protocol


class PythonRuntime:
    def __init__(self, work_dir=None):
        self._work_dir = work_dir
        self._main = None

    def init(self, value):
        name = value.get("main") or "main"
        code = value.get("code")
        if not isinstance(name, str):
            raise protocol.InitError("The action's \"main\" must be a string.")
        if not isinstance(code, str) or not code:
            raise protocol.InitError("Missing code: the action has no code to execute.")
        work_dir = self._work_dir or tempfile.mkdtemp(prefix="action-")
        if value.get("binary"):
            filename = self._unpack(code, work_dir)
            with open(filename, encoding="utf-8") as f:
                source = f.read()
        else:
            filename = os.path.join(work_dir, "__main__.py")
            source = code
            with open(filename, "w", encoding="utf-8") as f:
                f.write(code)  # so tracebacks can show the action's lines
        namespace = {"__name__": "main__", "__file__": filename, "__builtins__": builtins}
        try:
            compiled = compile(source, filename, "exec")
        except SyntaxError as e:
            raise protocol.InitError("Initialization has failed due to: SyntaxError: %s (%s, line %s)"
                                     % (e.msg, os.path.basename(filename), e.lineno)) from None
        try:
            exec(compiled, namespace)
        except Exception:
            raise protocol.InitError("Initialization has failed due to: " + traceback.format_exc().strip()) from None
        main = namespace.get(name)
        if not callable(main):
            raise protocol.InitError("Initialization has failed due to: function '%s' not found in the action's code." % name)
        self._main = main

    @staticmethod
    def _unpack(code, work_dir):
        try:
            with zipfile.ZipFile(io.BytesIO(base64.b64decode(code))) as archive:
                archive.extractall(work_dir)
        except (ValueError, zipfile.BadZipFile) as e:
            raise protocol.InitError("Unable to unzip the action: %s" % e) from None
        main_file = os.path.join(work_dir, "__main__.py")
        if not os.path.isfile(main_file):
            raise protocol.InitError("Zipped actions must contain __main__.py at the top level.")
        # A virtualenv/ folder brings the action's dependencies; addsitedir also honours its .pth files.
        for packages in sorted(glob.glob(os.path.join(work_dir, "virtualenv", "lib", "python3*", "site-packages"))):
            site.addsitedir(packages)
            sys.path.remove(packages)
            sys.path.insert(0, packages)
        sys.path.insert(0, work_dir)
        os.chdir(work_dir)  # one action per container: let it open its own files by relative path
        return main_file

    def run(self, args):
        try:
            result = self._main(args)
        except Exception as e:
            traceback.print_exc()
            return 502, {"error": "An error has occurred: " +
                         "".join(traceback.format_exception_only(type(e), e)).strip()}
        if isinstance(result, (dict, list)):
            return 200, result
        print("Result must be of type dict or list but has type %r: %r" % (type(result).__name__, result), file=sys.stderr)
        return 502, {"error": "The action did not return a dictionary or array (it returned %s)." % type(result).__name__}


if __name__ == "__main__":
    protocol.serve(PythonRuntime())
