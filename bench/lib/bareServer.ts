// The serving benchmark's ceiling: Node's http module answering every request with one fixed
// JSON body (after reading the request's body, as any server must). Prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ predictions: [0.2134307473897934] });
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`REST API at http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
