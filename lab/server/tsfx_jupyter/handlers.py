"""Thin tornado handlers: Jupyter's authentication and XSRF checks (APIHandler +
``@web.authenticated``), then the request passed on unchanged. No logic of their own."""

import http.client
import json
import os
import socket

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop

from .cli import CliError, SchedulerLocator, run_json

# Headers of the scheduler's answer worth passing on (the rest describe the hop, not the body).
PASSED_HEADERS = ("Content-Type",)
PROXY_TIMEOUT_S = 30


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over a Unix socket (the scheduler never listens on a network address)."""

    def __init__(self, path, timeout):
        super().__init__("scheduler", timeout=timeout)
        self.socket_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def _forward(socket_path, method, path, body, headers):
    connection = UnixHTTPConnection(socket_path, PROXY_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


class TsfxHandler(APIHandler):
    """Errors as the scheduler's own: Airflow's problem JSON."""

    def finish(self, *args, **kwargs):
        # APIHandler.finish (jupyter_server 1.x) forces application/json; the scheduler's own
        # type (problem+json, text/plain logs) is passed on instead.
        self.update_api_activity()
        return JupyterHandler.finish(self, *args, **kwargs)

    def problem(self, status, detail):
        title = http.client.responses.get(status, "Error")
        self.set_status(status)
        self.set_header("Content-Type", "application/problem+json; charset=utf-8")
        self.finish(
            json.dumps(
                {
                    "type": "about:blank",
                    "title": title,
                    "status": status,
                    "detail": detail,
                    "instance": self.request.path,
                }
            )
        )


class SchedulerProxyHandler(TsfxHandler):
    """/tsfx/api/<path> → the scheduler's /api/v1/<path>, with the status and body it answers."""

    def initialize(self, locator):
        self.locator = locator

    @web.authenticated
    async def get(self, path):
        await self._proxy(path)

    @web.authenticated
    async def post(self, path):
        await self._proxy(path)

    @web.authenticated
    async def patch(self, path):
        await self._proxy(path)

    async def _proxy(self, path):
        try:
            socket_path = await self.locator.socket()
        except CliError as e:
            return self.problem(e.status, e.message)
        target = "/api/v1/" + path
        if self.request.query:
            target += "?" + self.request.query
        headers = {"Accept": self.request.headers.get("Accept", "application/json")}
        body = self.request.body if self.request.method != "GET" else None
        if body is not None:
            headers["Content-Type"] = self.request.headers.get("Content-Type", "application/json")
        try:
            status, answer_headers, answer = await IOLoop.current().run_in_executor(
                None, _forward, socket_path, self.request.method, target, body, headers
            )
        except (FileNotFoundError, ConnectionRefusedError):
            return self.problem(
                503,
                f"the tsfx scheduler is not running (no API on {socket_path}): "
                "start it with `npx tsfx scheduler` (or `npm start`)",
            )
        except (OSError, http.client.HTTPException) as e:
            return self.problem(502, f"the tsfx scheduler did not answer: {e}")
        self.set_status(status)
        for name, value in answer_headers:
            if name.title() in PASSED_HEADERS:
                self.set_header(name, value)
        self.finish(answer)


class ArtifactViewHandler(TsfxHandler):
    """/tsfx/artifacts/<id>/view → `{kind, mime, payload}`, the view `show()` sends a notebook."""

    def initialize(self, root_dir):
        self.root_dir = root_dir

    @web.authenticated
    async def get(self, artifact_id):
        try:
            view = await run_json(self.root_dir, ["view", artifact_id, "-o", "json"])
        except CliError as e:
            return self.problem(e.status, e.message)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(view))


class ExamplesRowsHandler(TsfxHandler):
    """/tsfx/examples/rows?uri=&split=&offset=&limit=&sort=&descending=&filter=&contains= → a page
    of an Examples split read from its Parquet files (`tsfx rows`), for the examples view's pager.
    Only artifacts inside the server's root folder are read, as the contents API does."""

    OPTIONS = ("split", "offset", "limit", "sort", "filter", "contains")

    def initialize(self, root_dir):
        self.root_dir = os.path.realpath(root_dir)

    @web.authenticated
    async def get(self):
        uri = self.get_query_argument("uri", "")
        if not uri:
            return self.problem(400, "uri: the Examples artifact's folder is required")
        folder = os.path.realpath(os.path.join(self.root_dir, uri))
        if os.path.commonpath([folder, self.root_dir]) != self.root_dir:
            return self.problem(403, f"uri: {uri} is outside the server's root folder")
        args = ["rows", folder]
        for name in self.OPTIONS:
            value = self.get_query_argument(name, None)
            if value is not None:
                args += [f"--{name}", value]
        if self.get_query_argument("descending", "") == "true":
            args.append("--descending")
        try:
            page = await run_json(self.root_dir, args)
        except CliError as e:
            return self.problem(400 if e.status == 500 else e.status, e.message)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(page))


def setup_handlers(web_app, root_dir, log=None):
    base = web_app.settings["base_url"]
    locator = SchedulerLocator(root_dir)
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, r"/tsfx/api/(.*)"), SchedulerProxyHandler, {"locator": locator}),
            (
                url_path_join(base, r"/tsfx/artifacts/([0-9]+)/view"),
                ArtifactViewHandler,
                {"root_dir": root_dir},
            ),
            (
                url_path_join(base, r"/tsfx/examples/rows"),
                ExamplesRowsHandler,
                {"root_dir": root_dir},
            ),
        ],
    )
    if log:
        log.info(
            "tsfx: /tsfx/api/* proxies the scheduler's API; /tsfx/artifacts/<id>/view; "
            "/tsfx/examples/rows"
        )
