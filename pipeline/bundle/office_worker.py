"""One LibreOffice kept running for one batch worker: a small helper program.

Run by `pipeline.bundle.pdf` with a Python that has LibreOffice's `uno` module (on Debian the system
python3 with python3-uno, elsewhere LibreOffice's own), never imported by the pipeline itself:
it imports nothing from the package. It starts LibreOffice headless with the given profile
folder, connects to it over a named pipe and then converts on request, one line of JSON per
job on standard input, one line of JSON per answer on standard output:

    {"files": [["/tmp/a.docx", "/tmp/a.pdf"], ...]}  ->  {"ok": true}  or  {"ok": false, "error": "..."}

When standard input closes (the worker ended, or died), LibreOffice is shut down. The caller
enforces the time limit: it kills this program's process group, LibreOffice with it.
"""

from __future__ import annotations  # it runs on LibreOffice's Python, which may be older than ours

import json
import signal
import subprocess
import sys
import time
from typing import Any

# LibreOffice's own modules, without type information: what they return is typed Any below.
import uno
from com.sun.star.beans import PropertyValue

START_SECONDS = 60


def _property(name: str, value: object) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(office: subprocess.Popen[bytes], pipe: str) -> Any:
    """LibreOffice's desktop, once LibreOffice listens on `pipe`."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:  # not listening yet
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert(desktop: Any, files: list[list[str]]) -> None:
    for source, target in files:
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                (_property("Hidden", True),))
        if document is None:
            raise RuntimeError(f"kan {source} niet openen")
        try:
            document.storeToURL(uno.systemPathToFileUrl(target), (_property("FilterName", "writer_pdf_Export"),))
        finally:
            document.close(True)


def main() -> int:
    # Started while the worker held back stop signals: let them through again, for LibreOffice too.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
    program, profile_url, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [program, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
         f"-env:UserInstallation={profile_url}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = _connect(office, pipe)
    except Exception as err:
        office.kill()
        print(json.dumps({"ok": False, "error": f"LibreOffice start niet ({err})"}), flush=True)
        return 1
    try:
        print(json.dumps({"ok": True}), flush=True)
        for line in sys.stdin:
            try:
                _convert(desktop, json.loads(line)["files"])
                answer: dict[str, object] = {"ok": True}
            except Exception as err:  # the caller turns this into a Dutch message
                answer = {"ok": False, "error": str(err)}
            print(json.dumps(answer), flush=True)
        try:
            desktop.terminate()
        except Exception:  # already gone
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
