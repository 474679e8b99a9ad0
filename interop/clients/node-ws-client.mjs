// Echo checks with Node's `ws` client: text, binary, 1 MiB, a fragmented message, a ping, close 1000 with a reason.
// Usage: node node-ws-client.mjs ws://127.0.0.1:PORT/   Prints one line per check; exits 0 when all passed.
import WebSocket from 'ws';

const url = process.argv[2];
if (!url) {
  console.error('usage: node node-ws-client.mjs ws://host:port/path');
  process.exit(2);
}

const socket = new WebSocket(url); // offers permessage-deflate by default: the server must decline it
const inbox = [];
const waiters = [];
socket.on('message', (data, isBinary) => {
  const message = { data: Buffer.from(data), isBinary };
  const waiter = waiters.shift();
  if (waiter) waiter(message); else inbox.push(message);
});

function nextMessage() {
  return new Promise((resolve) => {
    const queued = inbox.shift();
    if (queued) resolve(queued); else waiters.push(resolve);
  });
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok ${what}`);
}

async function echo(payload, isBinary, what) {
  socket.send(payload, { binary: isBinary });
  const message = await nextMessage();
  check(message.isBinary === isBinary && message.data.equals(Buffer.from(payload)), what);
}

async function run() {
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  check(socket.extensions === '', 'permessage-deflate offer declined');
  await echo('Hello from node ws', false, 'text echo');
  await echo(Buffer.from([...Array(256).keys()]), true, 'binary echo');
  const big = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
  await echo(big, true, '1 MiB binary echo');

  socket.send('fragment one, ', { binary: false, fin: false });
  socket.send('fragment two', { binary: false, fin: true });
  const joined = await nextMessage();
  check(!joined.isBinary && joined.data.toString('utf8') === 'fragment one, fragment two', 'fragmented text echo');

  const pong = new Promise((resolve) => socket.once('pong', resolve));
  socket.ping(Buffer.from('ping from node'));
  check((await pong).toString('utf8') === 'ping from node', 'pong with the ping payload');

  const closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason })));
  socket.close(1000, 'bye from node ws');
  const { code } = await closed;
  check(code === 1000, `close code seen by the client is 1000 (got ${code})`);
}

const timer = setTimeout(() => { console.error('timed out'); process.exit(1); }, 30000);
run().then(() => { clearTimeout(timer); console.log('ALL OK'); process.exit(0); })
  .catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
