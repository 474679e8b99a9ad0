"""An echo server on Python's websockets, to run the conformance suite against a well-known peer for comparison:

    /usr/bin/python3 interop/peers/websockets_echo_server.py 9002
    mvn -pl examples -am test -Dtest='AutobahnCatalogueTest,HandshakeConformanceTest' \
        -Dsurefire.failIfNoSpecifiedTests=false -Dws.url=ws://127.0.0.1:9002/
"""
import asyncio
import sys

import websockets


async def echo(websocket, path=None):
    async for message in websocket:
        await websocket.send(message)


async def main(port):
    async with websockets.serve(echo, "127.0.0.1", port, max_size=32 * 1024 * 1024, compression=None):
        print("websockets echo server on ws://127.0.0.1:%d/" % port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 9002))
