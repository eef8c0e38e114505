"""Run the service under gunicorn: the store is prepared once, each gunicorn worker opens its own query workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from .store.prepare import prepare_store
from .web_config import ServiceConfig


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, config: ServiceConfig, store_dir: Path, release: Path | None, options: dict[str, Any]) -> None:
        self.service_config, self.store_dir, self.release, self.options = config, store_dir, release, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Called in the gunicorn worker after fork: start the query workers there, then build the app."""
        from .store.workers import EmbeddedStore
        from .web import create_app

        store = EmbeddedStore(self.store_dir, self.service_config.query_workers)
        return create_app(self.service_config, store, self.release)


def serve(config: ServiceConfig, host: str, port: int) -> None:
    """Prepare the store from the release (or the --data files) and serve it until stopped."""
    release = None if config.data_files else config.release_dir.resolve()
    sources = (list(config.data_files) or [release / "dataset.nq"]) + list(config.extra_files)  # type: ignore[operator]
    store_dir = prepare_store(sources, config.store_cache)
    options = {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": config.threads,
        "timeout": int(config.query_timeout) + 30,
        "graceful_timeout": 5,
        "accesslog": "-",
        "limit_request_line": 8190,
    }
    _Gunicorn(config, store_dir, release, options).run()
