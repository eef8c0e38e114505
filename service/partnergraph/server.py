"""Run the service under gunicorn: the store is prepared once, each gunicorn worker opens its own query workers."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

from .editions import Edition, Editions, ReleaseWatcher, linked_release
from .errors import InputError
from .http_worker import worker_class
from .leases import Lease
from .store.prepare import check_files, choose_source
from .web_config import ServiceConfig

if TYPE_CHECKING:
    from .store.remote import StoreClient
    from .store.remote_query import ReleaseGraphs

RECORD_TIMEOUT = 10.0  # seconds for a look at a remote store's release record
MAX_HEADER_BYTES = 64 * 1024  # request line and headers; URLs past 8 KB get 414 from the app, in its error shape


def _proxy_options(proxy: str) -> dict[str, Any]:
    """Behind a reverse proxy, the client (for budgets and the log) is the last address it adds to X-Forwarded-For."""
    if not proxy:
        return {}
    return {"trusted_proxy": proxy, "trusted_proxy_count": 1, "trusted_proxy_headers": {"x-forwarded-for"}}


def _sources(config: ServiceConfig, release: Path | None) -> list[Path]:
    return (list(config.data_files) or [release / "dataset.nq"]) + list(config.extra_files)  # type: ignore[operator]


def open_edition(config: ServiceConfig, release: Path | None) -> Edition:
    """Lease the release, load it (into memory, or an on-disk store cached by content) and start its query workers;
    an in-memory release is loaded here too, for the pattern lane."""
    from .store.cache import CachedStore
    from .store.pattern_lane import PatternLane
    from .store.pool import EmbeddedStore, WorkerPool
    from .store.prepare import memory_store
    from .store.workers import WorkerLimits
    from .store.zygote import Zygote

    lease = Lease(release) if release else None
    zygote = None
    try:
        source = choose_source(_sources(config, release), config.store_cache, config.memory_store_max_mb)
        with ThreadPoolExecutor(1) as loader:  # the lane's copy loads while the zygote loads its own
            copy = loader.submit(memory_store, source.files) if source.files and config.pattern_lane else None
            zygote = Zygote(source)
            lane = PatternLane(copy.result()) if copy else None
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
        store = CachedStore(EmbeddedStore(local, federated, lane), config.answer_cache_mb * 2**20)
    except BaseException:
        if zygote:
            zygote.close()
        if lease:
            lease.end()
        raise
    return Edition(release, store, lease)


def store_client(config: ServiceConfig) -> StoreClient:
    from .store.remote import Credentials, StoreClient

    credentials = Credentials(config.store_user, config.store_password) if config.store_user else None
    try:
        return StoreClient(config.store_url, credentials, config.store_connections)
    except ValueError as error:
        raise InputError(str(error)) from None


def remote_release(client: StoreClient) -> tuple[str, ReleaseGraphs] | None:
    """The release a remote store's record names as current (None while it names none)."""
    from .store.release_record import current_release

    graphs = current_release(client, RECORD_TIMEOUT)
    return (graphs.release, graphs) if graphs is not None else None


def open_remote_edition(config: ServiceConfig, client: StoreClient, graphs: ReleaseGraphs) -> Edition:
    """A release in the remote store; its dumps and files are served too where this instance has its directory
    (beside the configured release, as `build/releases/<name>`)."""
    from .store.cache import CachedStore
    from .store.release_documents import StoreDocuments
    from .store.remote import RemoteStore

    local = config.release_dir.resolve().parent / graphs.release
    release = local if (local / "dataset.nq").is_file() else None
    lease = Lease(release) if release else None
    store = CachedStore(RemoteStore(client, graphs), config.answer_cache_mb * 2**20)
    documents = StoreDocuments(client, graphs.release, config.query_timeout)
    return Edition(release, store, lease, label=graphs.release, documents=documents)


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
        watcher: ReleaseWatcher[Any]
        if config.store_url:
            client = store_client(config)
            found = remote_release(client)
            if found is None:
                raise RuntimeError("the store's release record names no release")
            editions = Editions(open_remote_edition(config, client, found[1]))
            watcher = ReleaseWatcher(
                editions,
                lambda: remote_release(client),
                lambda graphs: open_remote_edition(config, client, graphs),
                config.reload_interval,
            )
        else:
            editions = Editions(open_edition(config, self.release))
            watcher = ReleaseWatcher(
                editions,
                lambda: linked_release(config.release_dir),
                lambda release: open_edition(config, release),
                config.reload_interval,
            )
        if (config.store_url or self.release is not None) and config.reload_interval > 0:
            watcher.start()
        return create_app(config, editions)


def _check_store(config: ServiceConfig) -> None:
    """No SERVICE allow-list, and a store that answers and names a release; or `serve` stops here with a message
    (before it forks)."""
    if config.service_allowlist:
        raise InputError(
            "service_allowlist cannot be used with store_url: the store would run SERVICE with its own network "
            "access, which this service cannot confine (its query workers can); federate on the embedded store"
        )
    from .store.base import QueryFailed, QueryTimeout
    from .store.release_record import RecordUnreadable

    client = store_client(config)
    try:
        found = remote_release(client)
    except (QueryFailed, QueryTimeout, RecordUnreadable) as error:
        raise InputError(f"cannot read the release record from the store at {config.store_url}: {error}") from None
    finally:
        client.close()
    if found is None:
        raise InputError(f"the store at {config.store_url} holds no published release (run `partnergraph publish`)")


def serve(config: ServiceConfig, host: str, port: int) -> None:
    """Prepare the store from the release (or the --data files), so bad input fails here, then serve until stopped."""
    logging.basicConfig(
        level=logging.INFO,
        format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S %z",  # as gunicorn writes its own lines
    )
    release = None if config.data_files or config.store_url else config.release_dir.resolve()
    if config.store_url:
        _check_store(config)
    else:
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
