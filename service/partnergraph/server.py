"""Run the service under gunicorn: the store is prepared once, each gunicorn worker opens its own query workers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from .editions import Edition, Editions, ReleaseWatcher
from .http_worker import worker_class
from .leases import Lease
from .store.prepare import check_files, choose_source
from .web_config import ServiceConfig

MAX_HEADER_BYTES = 64 * 1024  # request line and headers; URLs past 8 KB get 414 from the app, in its error shape


def _proxy_options(proxy: str) -> dict[str, Any]:
    """Behind a reverse proxy, the client (for budgets and the log) is the last address it adds to X-Forwarded-For."""
    if not proxy:
        return {}
    return {"trusted_proxy": proxy, "trusted_proxy_count": 1, "trusted_proxy_headers": {"x-forwarded-for"}}


def _sources(config: ServiceConfig, release: Path | None) -> list[Path]:
    return (list(config.data_files) or [release / "dataset.nq"]) + list(config.extra_files)  # type: ignore[operator]


def open_edition(config: ServiceConfig, release: Path | None) -> Edition:
    """Lease the release, load it (into memory, or an on-disk store cached by content) and start its query workers."""
    from .store.cache import CachedStore
    from .store.pool import EmbeddedStore, WorkerPool
    from .store.workers import WorkerLimits
    from .store.zygote import Zygote

    lease = Lease(release) if release else None
    zygote = None
    try:
        zygote = Zygote(choose_source(_sources(config, release), config.store_cache, config.memory_store_max_mb))
        memory = config.worker_memory_mb * 2**20
        local = WorkerPool(
            zygote,
            config.query_workers,
            config.max_query_workers,
            config.max_long_queries,
            config.pool_shrink_after,
            WorkerLimits(memory),
        )
        federated = None
        if config.service_allowlist:  # the only workers that may open sockets, for allow-listed SERVICE queries
            federated = WorkerPool(
                zygote, 1, 2, 1, config.pool_shrink_after, WorkerLimits(memory, config.service_allowlist)
            )
        store = CachedStore(EmbeddedStore(local, federated), config.answer_cache_mb * 2**20)
    except BaseException:
        if zygote:
            zygote.close()
        if lease:
            lease.end()
        raise
    return Edition(release, store, lease)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, config: ServiceConfig, release: Path | None, options: dict[str, Any]) -> None:
        self.service_config, self.release, self.options = config, release, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Called in the gunicorn worker after fork: start the query workers (and the watcher) there, build the app."""
        from .web import create_app

        config = self.service_config
        editions = Editions(open_edition(config, self.release))
        if self.release is not None and config.reload_interval > 0:
            watcher = ReleaseWatcher(
                editions, config.release_dir, lambda release: open_edition(config, release), config.reload_interval
            )
            watcher.start()
        return create_app(config, editions)


def serve(config: ServiceConfig, host: str, port: int) -> None:
    """Prepare the store from the release (or the --data files), so bad input fails here, then serve until stopped."""
    logging.basicConfig(
        level=logging.INFO,
        format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S %z",  # as gunicorn writes its own lines
    )
    release = None if config.data_files else config.release_dir.resolve()
    sources = _sources(config, release)
    if choose_source(sources, config.store_cache, config.memory_store_max_mb).files:
        check_files(sources, config.store_cache)
    options = {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": worker_class(
            connection_limit=config.max_connections,
            channel_timeout=config.idle_timeout,
            cleanup_interval=max(1, int(config.idle_timeout) // 3),
            max_request_body_size=config.max_body_bytes,
            max_request_header_size=MAX_HEADER_BYTES,
            **_proxy_options(config.trusted_proxy),
        ),
        "threads": config.threads,
        "timeout": 30,  # the worker's event loop reports every second; one silent for 30 s is restarted
        "graceful_timeout": 5,
    }
    _Gunicorn(config, release, options).run()
