"""Echo checks with Python's websockets client: text, binary, 1 MiB, a fragmented message, a ping, close 1000.

Usage: /usr/bin/python3 python_websockets_client.py ws://127.0.0.1:PORT/
Prints one line per check; exits 0 when all passed.
"""
import asyncio
import sys

import websockets


def check(condition, what):
    if not condition:
        raise AssertionError("check failed: " + what)
    print("ok " + what, flush=True)


async def run(url):
    # compression is offered by default: the server must decline it
    async with websockets.connect(url, max_size=16 * 1024 * 1024, open_timeout=10, close_timeout=10) as ws:
        check(not ws.extensions, "permessage-deflate offer declined")
        await ws.send("Hello from python websockets")
        check(await ws.recv() == "Hello from python websockets", "text echo")
        await ws.send(bytes(range(256)))
        check(await ws.recv() == bytes(range(256)), "binary echo")
        big = bytes((i * 31 + 7) & 0xFF for i in range(1024 * 1024))
        await ws.send(big)
        check(await ws.recv() == big, "1 MiB binary echo")
        await ws.send(["fragment one, ", "fragment two"])  # an iterable is sent as a fragmented message
        check(await ws.recv() == "fragment one, fragment two", "fragmented text echo")
        pong = await ws.ping(b"ping from python")
        await asyncio.wait_for(pong, 10)
        check(True, "pong answering the ping (websockets matches it by payload)")
        await ws.close(1000, "bye from python websockets")
        check(ws.close_code == 1000, "close code seen by the client is 1000 (got %s)" % ws.close_code)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python3 python_websockets_client.py ws://host:port/path", file=sys.stderr)
        sys.exit(2)
    asyncio.run(asyncio.wait_for(run(sys.argv[1]), 30))
    print("ALL OK", flush=True)
