import { beforeAll, describe, expect, it } from 'vitest';
import { restClient, type RestClient } from '../support/rest-client.js';
import { startTestApp } from '../support/test-app.js';

describe('REST v1', () => {
  let rest: RestClient;
  beforeAll(async () => {
    rest = restClient(await startTestApp());
  });

  it('signs up, answers 201 with a Location that reads the user back', async () => {
    const created = await rest.post('/v1/users', { json: { name: 'Ann', email: 'ann@example.com', password: 'password123' } });
    expect(created.status).toBe(201);
    const read = await rest.get(created.headers.get('location')!);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: created.body.data.user.id, name: 'Ann', email: null });
  });
});
