// Unexpected failures are masked: the client sees INTERNAL_SERVER_ERROR with no stack and no
// SQL, and the server logs the real error once, with the request id.
import { expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { given } from '../support/given.js';
import { startTestApp } from '../support/test-app.js';

test('a failing statement is masked for the client and logged once with the request id', async () => {
  const app = await startTestApp({ captureLogs: true, env: { MAX_COST: '1000000' } });
  const g = given(app);
  const post = await g.post({ by: await g.user() });
  await g.comment({ on: post, by: { id: post.authorId } });
  // A real database failure the code does not expect: the column it selects is gone.
  await app.database.db.execute(sql`alter table comments rename column body to body_gone`);

  const res = await app.query(`{ posts { edges { node { title comments { edges { node { body } } } } } } }`, undefined, {
    headers: { 'x-request-id': 'masking-test-1' },
  });
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]).toMatchObject({ path: ['posts', 'edges', 0, 'node', 'comments'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/body_gone|select |from "|stack|\.ts:/i);

  const logged = app.logs.filter((line) => line.requestId === 'masking-test-1' && line.level >= 50);
  expect(logged).toHaveLength(1);
  expect(JSON.stringify(logged[0])).toMatch(/body/);
});
