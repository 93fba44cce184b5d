"""Serve the tsfx JupyterLab app (built by lab/build.mjs) with Debian's jupyter_server 1.x.

    JUPYTER_PATH=<repo>/build/jupyter/share/jupyter /usr/bin/python3 lab/launcher.py \
        --app-dir=<repo>/build/lab --state-dir=<dir> [jupyter_server options ...]

A jupyterlab_server ``LabServerApp`` named "lab" (URL /lab, static files under /static/lab/):
the JupyterLab frontend's REST needs (kernels, sessions, contents, kernelspecs, settings,
workspaces, themes, translations, federated extensions) come from jupyter_server and
jupyterlab_server. jupyter_server 1.x has no /api/me and no /api/events/subscribe, so this
module answers both minimally. Disabled plugins: LSP (no jupyter-lsp server here), the
debugger (tslab has none) and the news/update announcements (no network).
"""

import json
import os
import sys

from jupyter_core.paths import jupyter_path
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web
from tornado.websocket import WebSocketHandler
from traitlets import Unicode

# tsfx's server extension (lab/server, pip-installable on its own) sits next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "server"))
import tsfx_jupyter  # noqa: E402

DISABLED_PLUGINS = [
    "@jupyterlab/lsp-extension",
    "@jupyterlab/notebook-extension:language-server",
    "@jupyterlab/fileeditor-extension:language-server",
    "@jupyterlab/apputils-extension:announcements",
    # tslab has no debugger, and JupyterLab 4.6's debugger plugins then throw "No active
    # debugger session" (an unhandled rejection) after every execution.
    "@jupyterlab/debugger-extension",
]


def _disable_plugins(handler, page_config):
    disabled = list(page_config.get("disabledExtensions") or [])
    disabled += [p for p in DISABLED_PLUGINS if p not in disabled]
    page_config["disabledExtensions"] = disabled
    return page_config


class MeHandler(APIHandler):
    """GET /api/me: the current user's identity, and every permission asked for."""

    @web.authenticated
    def get(self):
        name = "tsfx"
        permissions = {}
        requested = self.get_argument("permissions", "")
        if requested:
            try:
                asked = json.loads(requested)
            except ValueError as e:
                raise web.HTTPError(400, f"permissions should be JSON: {e}") from e
            if not isinstance(asked, dict):
                raise web.HTTPError(400, "permissions should be a JSON object")
            permissions = {k: list(v) for k, v in asked.items()}
        self.finish(
            json.dumps(
                {
                    "identity": {
                        "username": name,
                        "name": name,
                        "display_name": name,
                        "initials": "T",
                        "avatar_url": None,
                        "color": None,
                    },
                    "permissions": permissions,
                }
            )
        )


class EventsSubscribeHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """WS /api/events/subscribe: accepted and kept open; this server emits no events."""

    def set_default_headers(self):
        pass

    async def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


class TsfxLabApp(LabServerApp):
    name = "lab"
    app_name = "JupyterLab"
    extension_url = "/lab"
    default_url = "/lab"
    file_url_prefix = "/lab/tree"
    load_other_extensions = False

    app_dir = Unicode("", config=True, help="Directory built by lab/build.mjs")
    state_dir = Unicode("", config=True, help="Directory for user settings and workspaces")

    aliases = dict(LabServerApp.aliases)
    aliases.update({"app-dir": "TsfxLabApp.app_dir", "state-dir": "TsfxLabApp.state_dir"})

    _dirs_configured = False

    def _configure_dirs(self):
        if self._dirs_configured:
            return
        self._dirs_configured = True
        app_dir = os.path.abspath(self.app_dir)
        static = os.path.join(app_dir, "static")
        if not os.path.exists(os.path.join(static, "index.html")):
            sys.exit(f"{static}/index.html is missing: build the app first (node lab/build.mjs)")
        with open(os.path.join(static, "package.json"), encoding="utf-8") as f:
            self.app_version = json.load(f)["jupyterlab"]["version"]
        state = os.path.abspath(self.state_dir or os.path.join(app_dir, "state"))
        self.static_dir = static
        self.templates_dir = static
        self.schemas_dir = os.path.join(app_dir, "schemas")
        self.themes_dir = os.path.join(app_dir, "themes")
        self.app_settings_dir = os.path.join(app_dir, "settings")
        self.user_settings_dir = os.path.join(state, "user-settings")
        self.workspaces_dir = os.path.join(state, "workspaces")
        self.labextensions_path = jupyter_path("labextensions")

    def initialize_settings(self):
        self._configure_dirs()
        super().initialize_settings()

    def initialize_templates(self):
        # The server prepares templates first, then settings, then handlers.
        self._configure_dirs()
        self.static_paths = [self.static_dir]
        self.template_paths = [self.templates_dir]

    def initialize_handlers(self):
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config.update(
            {
                "appVersion": self.app_version,
                "buildAvailable": False,
                "buildCheck": False,
                "devMode": False,
                "token": self.serverapp.token,
                "exposeAppInBrowser": True,
                "quitButton": False,
                "notebookVersion": json.dumps([1, 23, 0]),
                # As JupyterLab's own app: View > Show Hidden Files is offered when the contents
                # manager serves hidden files (--ContentsManager.allow_hidden=True).
                "allow_hidden_files": self.serverapp.contents_manager.allow_hidden,
            }
        )
        # jupyterlab_server rebuilds disabledExtensions from disk config after reading
        # page_config_data, so the plugins are disabled in the hook it calls last.
        self.serverapp.web_app.settings["page_config_hook"] = _disable_plugins
        self.handlers.extend(
            [
                (r"/api/me/?", MeHandler),
                (r"/api/events/subscribe", EventsSubscribeHandler),
            ]
        )
        super().initialize_handlers()
        # load_other_extensions is off (this app is the whole server): load tsfx's one here.
        tsfx_jupyter._load_jupyter_server_extension(self.serverapp)


def _jupyter_server_extension_points():
    # The server finds the app through its module; run as a script, that module is __main__.
    return [{"module": __name__, "app": TsfxLabApp}]


if __name__ == "__main__":
    TsfxLabApp.launch_instance()
