"""Headless Chromium driven over the DevTools protocol on a pipe, for the HTML writer's tests.

``--remote-debugging-pipe`` makes Chromium read commands on file descriptor 3 and write
answers on 4 (JSON messages ended by a NUL byte), so no port, no websocket library and
no network are needed. axe-core comes from ``tests/browser/node_modules`` (``npm ci`` in
the Makefile); a missing Chromium or axe-core fails the test with the command to run,
never skips it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
FONTS = Path(__file__).parents[2] / "templates" / "fonts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0


def chromium_binary() -> str:
    """The Chromium to drive; fails loudly when the Debian package is missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise AssertionError("the HTML tests need Chromium: run 'make system-tools' as root")
    return found


def axe_source() -> str:
    """axe-core's script; fails loudly when ``npm ci`` has not run."""
    if not AXE.is_file():
        raise AssertionError(f"axe-core is missing: run 'npm ci --prefix {HERE}' (make unit does)")
    return AXE.read_text(encoding="utf-8")


def fontconfig(folder: Path) -> Path:
    """A fontconfig file that shows Chromium the theme's fonts and DejaVu only, so the
    page's fonts by name resolve the same on every machine."""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{FONTS}</dir><dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{folder / 'fontconfig-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return config


class Browser:
    """One headless Chromium with one page, closed by :meth:`close`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # Above any descriptor the child's dup2 to 3 and 4 could overwrite.
        child_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 100)
        child_write = fcntl.fcntl(answers_write, fcntl.F_DUPFD, 100)

        def wire_pipes() -> None:
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(folder))}
        self._process = subprocess.Popen(
            [chromium_binary(), *FLAGS, f"--user-data-dir={folder / 'profile'}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire_pipes,
            env=environment,
        )
        for descriptor in (commands_read, answers_write, child_read, child_write):
            os.close(descriptor)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable", session=True)

    def send(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; a protocol error fails the test."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise AssertionError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self._events.append(answer)

    def open(self, path: Path, width: int = 1000, height: int = 1400) -> None:
        """Load ``path`` at a window of ``width`` x ``height`` CSS pixels; return once loaded."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._events.clear()
        self.send("Page.navigate", session=True, url=path.resolve().as_uri())
        deadline = time.monotonic() + TIMEOUT
        while not any(event.get("method") == "Page.loadEventFired" for event in self._events):
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} did not load in {TIMEOUT:g} s")
            self._events.append(self._read())

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page (awaiting a promise) and return its value."""
        result = self.send(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the open page: rule id, impact, help and the nodes."""
        self.evaluate(axe_source())
        found: str = self.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify("
            "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))}))))"
        )
        violations: list[dict[str, Any]] = json.loads(found)
        return violations

    def screenshot(self) -> bytes:
        """A PNG of the whole page."""
        data = self.send(
            "Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True
        )["data"]
        return base64.b64decode(data)

    def print_pdf(self) -> bytes:
        """The page as the browser prints it, with its own ``@page`` size and margins."""
        data = self.send(
            "Page.printToPDF", session=True, preferCSSPageSize=True, printBackground=True
        )["data"]
        return base64.b64decode(data)

    def fonts_of(self, selector: str) -> list[str]:
        """The font families Chromium drew the text of the first ``selector`` match with."""
        self.send("DOM.enable", session=True)
        self.send("CSS.enable", session=True)
        root = self.send("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.send("DOM.querySelector", session=True, nodeId=root, selector=selector)
        fonts = self.send("CSS.getPlatformFontsForNode", session=True, nodeId=node["nodeId"])
        return [font["familyName"] for font in fonts["fonts"]]

    def close(self) -> None:
        """Close the browser and wait for it, killing it if it hangs."""
        with contextlib.suppress(OSError):
            os.write(
                self._commands, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0"
            )
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._answers)

    def _read(self) -> dict[str, Any]:
        """The next message from the browser."""
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise AssertionError("Chromium stopped answering")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise AssertionError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed
