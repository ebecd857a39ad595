"""A TCP forwarder the fault tests kill to make a service unreachable while a job runs.

`python -m tests.production.tcp_proxy LISTEN_PORT TARGET_PORT`: everything sent to
127.0.0.1:LISTEN_PORT goes to 127.0.0.1:TARGET_PORT. Killing it cuts the service off without
stopping the service itself (moto keeps its bucket in memory: stopping it would lose the data).
"""

import asyncio
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _serve(listen: int, target: int) -> None:
    async def forward(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            _pipe(client_reader, server_writer), _pipe(server_reader, client_writer)
        )

    server = await asyncio.start_server(forward, "127.0.0.1", listen, reuse_address=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1]), int(sys.argv[2])))
