#!/usr/bin/env python3
"""bench/fleet-proxy.py: many loopback endpoints in front of a few real PostgreSQL servers.

Listens on 127.0.0.1 ports FIRST .. FIRST+COUNT-1 and forwards port FIRST+i, byte for byte, to
the i-th of the given servers taken round robin, so that one pgkill sees COUNT servers. Runs until
killed. Usage: fleet-proxy.py FIRST COUNT HOST:PORT [HOST:PORT...]
"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def forwarder(host, port):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    return handle


async def main():
    first, count = int(sys.argv[1]), int(sys.argv[2])
    backends = [(a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in sys.argv[3:]]
    servers = []
    for i in range(count):
        host, port = backends[i % len(backends)]
        servers.append(await asyncio.start_server(forwarder(host, port), "127.0.0.1", first + i))
    print("listening", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
