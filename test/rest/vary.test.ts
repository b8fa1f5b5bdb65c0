import { expect, test } from 'vitest';
import { startTestApp } from '../support/test-app.js';

// A cache in front must key a REST answer on the caller's token even when a browser's request
// carries an Origin, for which yoga's CORS sets Vary: Origin.
test('a REST answer keeps Vary: Authorization beside the Vary: Origin of CORS', async () => {
  const app = await startTestApp();
  const res = await app.fetch('/v1/users', { headers: { origin: 'http://localhost:5173' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('vary')?.split(/,\s*/).sort()).toEqual(['Authorization', 'Origin']);
});
