// The `raw` baseline of issue 5: plain node:http + pg, no GraphQL. It answers the bench's four
// operations (picked by the GraphQL `operationName` in the same request body the GraphQL servers get) with
// the JSON our server returns, each in ONE named prepared statement whose JSON is built by
// Postgres (lib/json-statements.mjs). It is the practical ceiling of this machine, not a server to ship: it has no
// validation beyond what the bench sends.
//
// env: PORT, DATABASE_URL, DATABASE_POOL_SIZE (@default 16 connections), JWT_SECRET (the same
// as our server's: the feed's viewer comes from a verified token, as it does there).
import { createServer } from 'node:http';
import { paramsOf, statementsReturning } from './lib/json-statements.mjs';
import { createPool } from './lib/pool.mjs';

const pool = createPool('raw');
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
// Text, not json: pg hands the JSON over as it came, and it goes out as it is.
const STATEMENTS = statementsReturning('text');

async function answer(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const { operationName, variables = {} } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  const params = STATEMENTS[operationName] ? await paramsOf(operationName, variables, req.headers.authorization, secret) : null;
  if (!params) {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unknown operation or bad variables"}]}');
    return;
  }
  const { rows } = await pool.query({ name: operationName, text: STATEMENTS[operationName], values: params });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(`{"data":${rows[0].data}}`);
}

createServer((req, res) => {
  answer(req, res).catch((error) => {
    process.stderr.write(`raw-server: ${error.stack ?? error}\n`);
    if (!res.headersSent) res.writeHead(500).end();
  });
}).listen(Number(process.env.PORT ?? 0), '127.0.0.1');
