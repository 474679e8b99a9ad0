// Node ws's broadcast, as its README shows it: every message any peer sends goes to every open client, the sender
// included; no compression. Usage: node bench/node/broadcast-server.js --host 127.0.0.1 --port 9000
// (ws comes from interop/node_modules: NODE_PATH=interop/node_modules, which .ci/run installs with npm).
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : fallback);
const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '9000'));

const wss = new WebSocketServer({ host, port, perMessageDeflate: false, maxPayload: 1 << 20, backlog: 4096 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});
wss.on('listening', () => console.log(`ws broadcast listening on ${host}:${port}`));
