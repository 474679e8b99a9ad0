// An echo server built on Node's `ws`, to run the conformance suite against a well-known peer for comparison:
//   node interop/peers/ws-echo-server.mjs 9001
//   mvn -pl examples test -Dtest=AutobahnCatalogueTest -Dws.url=ws://127.0.0.1:9001/
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] || 9001);
const server = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 32 * 1024 * 1024, perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => {});
});
server.on('listening', () => console.log(`ws echo server on ws://127.0.0.1:${port}/`));
