"""Name lookups: cached, uncached, and a batch of 1000 over gRPC.

Usage: python bench/meta.py [--etcd http://127.0.0.1:2379] [--objects N]

Without --etcd the embedded store runs on a fresh SQLite file. Prints one
JSON object as its last line:

- resolve_cached_us: one name -> UUID lookup answered by the in-process cache
- resolve_uncached_us: the same lookup with the cache off (one store read)
- batch_resolve_1000_ms: ResolveNames with 1000 names over real gRPC
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent import futures
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mulligan.api.meta.v1 import meta_pb2
from mulligan.client import Client
from mulligan.db import Database
from mulligan.kv import KeyValueStore
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.meta import MetaService, Names
from mulligan.meta import servicer as meta_servicer
from mulligan.migrate import migrate
from mulligan.rpc import ServerInterceptor

PROJECT = "0" * 32


def open_store(etcd: str | None, state: Path) -> KeyValueStore:
    if etcd:
        from mulligan.kv.etcd import EtcdStore

        store = EtcdStore((etcd,))
        store.delete_prefix("meta/")
        return store
    database = Database(f"sqlite:///{state / 'bench.db'}")
    migrate(database, [KV_MIGRATIONS])
    return EmbeddedStore(database)


def per_call_us(call: Callable[[int], object], count: int) -> float:
    """Median of five runs of count calls, in microseconds per call."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for index in range(count):
            call(index)
        runs.append((time.perf_counter() - started) / count * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etcd", help="etcd endpoint; default: embedded store on SQLite")
    parser.add_argument("--objects", type=int, default=2000, help="named objects to create first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mulligan-bench-") as tmp:
        store = open_store(args.etcd, Path(tmp))
        service = MetaService(store)
        names = service.names
        assert names.wait_ready(10)
        uncached = Names(store, cache=False)
        started = time.perf_counter()
        for index in range(args.objects):
            with names.reserve("machine", PROJECT, f"machine-{index:05d}") as reservation:
                reservation.confirm()
        create_ms = (time.perf_counter() - started) / args.objects * 1000
        refs = [f"machine-{index:05d}" for index in range(args.objects)]

        cached_us = per_call_us(lambda i: names.resolve("machine", PROJECT, refs[i % len(refs)]), 20_000)
        uncached_us = per_call_us(lambda i: uncached.resolve("machine", PROJECT, refs[i % len(refs)]), 300)

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), interceptors=[ServerInterceptor()])
        meta_servicer.register(server, service)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        batch = refs[:1000]
        request = meta_pb2.ResolveNamesRequest(kind="machine", refs=batch, project_id=PROJECT)
        with Client(f"127.0.0.1:{port}") as client:
            client.meta.ResolveNames(request)  # warm the channel
            timings = []
            for _ in range(10):
                started = time.perf_counter()
                response = client.meta.ResolveNames(request)
                timings.append((time.perf_counter() - started) * 1000)
                assert all(result.found for result in response.results)
        server.stop(0)
        uncached.close()
        service.close()
        store.close()
    result = {
        "backend": "etcd" if args.etcd else "embedded-sqlite",
        "objects": args.objects,
        "reserve_confirm_ms": round(create_ms, 3),
        "resolve_cached_us": round(cached_us, 2),
        "resolve_uncached_us": round(uncached_us, 1),
        "batch_resolve_1000_ms": round(statistics.median(timings), 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
