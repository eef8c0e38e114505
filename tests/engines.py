"""Real SPARQL stores for the tests, each started as its own process on a free 127.0.0.1 port."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

from .server import free_port, stop_process


class Engine:
    """A running store: its query, update and Graph Store endpoints."""

    name = ""
    query_path = update_path = graph_store_path = ""
    publish_env: ClassVar[dict[str, str]] = {}  # what `partnergraph publish` needs besides the URLs (credentials)

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process, self.port = process, port

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.root + self.query_path

    @property
    def update_url(self) -> str:
        return self.root + self.update_path

    @property
    def graph_store_url(self) -> str:
        return self.root + self.graph_store_path

    def ask(self, query: str, accept: str = "text/csv") -> tuple[int, str]:
        """A query sent straight to the store, for what the tests check behind the service's back."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            body = urlencode({"query": query})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
            connection.request("POST", self.query_path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def wait_until_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited: {self.process.stderr.read().decode() if self.process.stderr else ''}"
                )
            try:
                if self.ask("ASK {}")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {seconds} s")

    def stop(self) -> None:
        stop_process(self.process, 20)


class OxigraphServer(Engine):
    """`oxigraph serve` from the oxigraph package on PyPI, storing in `directory`."""

    name = "oxigraph"
    query_path, update_path, graph_store_path = "/query", "/update", "/store"

    @classmethod
    def start(cls, directory: Path) -> OxigraphServer:
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        port = free_port()
        process = subprocess.Popen(
            [binary, "serve", "--location", str(directory), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        engine = cls(process, port)
        engine.wait_until_ready(30)
        return engine


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {dir}
VADInstallDir = {dir}/vad
NumberOfBuffers = 100000
MaxDirtyBuffers = 75000
MaxQueryMem = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
MaxClientConnections = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer(Engine):
    """Virtuoso Open Source 7.2 (Debian's virtuoso-opensource-7-bin) as a plain process with an ini of its own;
    updates and Graph Store writes go to its digest-authenticated endpoints as the fresh database's `dba`."""

    name = "virtuoso"
    query_path, update_path, graph_store_path = "/sparql", "/sparql-auth", "/sparql-graph-crud-auth"
    publish_env: ClassVar[dict[str, str]] = {
        "PARTNERGRAPH_STORE_USER": "dba",
        "PARTNERGRAPH_STORE_PASSWORD": "dba",
        "PARTNERGRAPH_STORE_AUTH": "digest",
    }

    @classmethod
    def start(cls, directory: Path) -> VirtuosoServer:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed: `make test` installs virtuoso-opensource-7-bin")
        for part in ("www", "vad"):
            (directory / part).mkdir(parents=True, exist_ok=True)
        port = free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=free_port(), http_port=port), encoding="utf-8")
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        engine = cls(process, port)
        engine.wait_until_ready(60)
        return engine
