/**
 * The baseline for bench:auth: a bare node:http server that does the same bcrypt check on its
 * own event loop (bcryptjs async, as most tutorials do) and answers /me with fixed bytes.
 */
import { createServer } from 'node:http';
import bcrypt from 'bcryptjs';

const port = Number(process.env.PORT);
const cost = Number(process.env.BCRYPT_COST ?? 12);
const hash = await bcrypt.hash('a good password', cost);
const me = Buffer.from(
  JSON.stringify({ id: crypto.randomUUID(), email: 'bench@example.test', role: 'user', telegramId: null }),
);

createServer((req, res) => {
  if (req.url === '/auth/me' || req.url === '/ready') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(me);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { password } = JSON.parse(Buffer.concat(chunks).toString()) as { password: string };
    void bcrypt.compare(password, hash).then((ok) => {
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
}).listen(port, '127.0.0.1');
