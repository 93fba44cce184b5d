"""tsfx's Jupyter server extension: the scheduler's API and artifact views behind Jupyter's auth.

    GET|POST|PATCH /tsfx/api/<path>         → the scheduler's /api/v1/<path> (its Unix socket)
    GET            /tsfx/artifacts/<id>/view → the payload `show()` draws (`tsfx view <id>`)
    GET            /tsfx/examples/rows       → a page of an Examples split (`tsfx rows`)

Loaded by lab/launcher.py, or, in a pip-installed JupyterLab, enabled by
jupyter-config/jupyter_server_config.d/tsfx_jupyter.json (``pip install lab/server``).
"""

from .handlers import setup_handlers

__all__ = ["setup_handlers"]


def _jupyter_server_extension_points():
    return [{"module": "tsfx_jupyter"}]


def _load_jupyter_server_extension(server_app):
    setup_handlers(server_app.web_app, server_app.root_dir, server_app.log)


# jupyter_server < 2 (and notebook) call the old name.
load_jupyter_server_extension = _load_jupyter_server_extension
