"""``dongcheng serve --workers N``: N uvicorn processes, each with its own listening socket on the same port
(``SO_REUSEPORT``), so the kernel spreads the connections over them.

uvicorn's own ``--workers`` shares one listening socket between its processes: whichever accepts first keeps the
connection, and a client that keeps its connections open (a load generator, a reverse proxy's pool, a browser) can
end up with every connection on one process — measured: 32 keep-alive connections, all 32 on one of two workers, and
two workers served what one did (issue 11). With a socket per process the kernel hashes each new connection to one
of them. A worker that dies is started again; SIGINT / SIGTERM stop them all.
"""
from __future__ import annotations

import multiprocessing
import signal
import socket
import time

APP = "dongcheng.main:create_app"
RESTART_PAUSE_S = 1.0  # a worker that dies is started again after this pause (one that cannot start would spin)


def can_share_port() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def worker_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port that other processes may bind too (``SO_REUSEPORT``), not yet listening: the
    kernel hands a port's new connections only to its listening sockets, and asyncio's server listens once uvicorn
    has loaded the app and run its startup. So a worker that is starting (or starting again after a crash) takes no
    connection it cannot answer yet; they go to the workers already serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict) -> None:  # the target of each worker process
    import uvicorn

    sock = worker_socket(host, port)
    server = uvicorn.Server(uvicorn.Config(APP, factory=True, **options))
    server.run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, **options) -> None:
    """Run ``workers`` processes of the app on host:port until SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start() -> multiprocessing.Process:
        process = context.Process(target=_worker, args=(host, port, options), name="dongcheng-serve")
        process.start()
        return process

    processes = [start() for _ in range(workers)]
    try:
        while not stopping:
            time.sleep(0.2)
            for i, process in enumerate(processes):
                if not process.is_alive() and not stopping:
                    print(f"· worker {process.pid} exited ({process.exitcode}); starting another", flush=True)
                    time.sleep(RESTART_PAUSE_S)
                    processes[i] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
