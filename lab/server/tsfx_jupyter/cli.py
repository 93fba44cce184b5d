"""The tsfx CLI, run from the server's root folder as a user would: it alone knows where the
scheduler's socket is (next to the store, `tsfx info`) and how an artifact becomes a view
(`tsfx view`), so this extension asks it rather than repeating either rule."""

import asyncio
import re
import json
import os
import shlex
import shutil


class CliError(Exception):
    """The CLI could not be found or ended in an error; ``status`` is the HTTP status to answer."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def tsfx_command(root_dir):
    """`$TSFX_CLI` (a command line), else the project's node_modules/.bin/tsfx, else tsfx on PATH."""
    given = os.environ.get("TSFX_CLI")
    if given:
        return shlex.split(given)
    local = os.path.join(root_dir, "node_modules", ".bin", "tsfx")
    if os.path.exists(local):
        return [local]
    found = shutil.which("tsfx")
    if found:
        return [found]
    raise CliError(
        503,
        f"the tsfx CLI is not installed in {root_dir} (node_modules/.bin/tsfx) nor on PATH; "
        "set TSFX_CLI to its command",
    )


async def run_json(root_dir, args):
    """Runs `tsfx <args>` in ``root_dir`` and parses its standard output as JSON."""
    command = tsfx_command(root_dir) + list(args)
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=root_dir,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        lines = [l for l in err.decode("utf-8", "replace").splitlines() if l.strip()]
        message = lines[-1].removeprefix("error: ") if lines else f"exit status {process.returncode}"
        status = 404 if re.search(r"no artifact|no metadata store", message) else 500
        raise CliError(status, f"tsfx {args[0]}: {message}")
    try:
        return json.loads(out)
    except ValueError as e:
        raise CliError(500, f"tsfx {args[0]}: output is not JSON: {e}") from e


class SchedulerLocator:
    """Where the scheduler's API socket is, asked of `tsfx info` once (it depends only on the
    root folder and the environment, both fixed for the server's life)."""

    def __init__(self, root_dir):
        self.root_dir = root_dir
        self._socket = None
        self._lock = asyncio.Lock()

    async def socket(self):
        async with self._lock:
            if self._socket is None:
                info = await run_json(self.root_dir, ["info", "-o", "json"])
                self._socket = info["api_socket"]
            return self._socket
