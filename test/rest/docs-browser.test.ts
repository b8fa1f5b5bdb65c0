// The REST docs page in a real browser (Chromium, see test/support/chromium.ts): it renders every
// route of the OpenAPI document and runs one, with every request going to the server itself;
// anything else is blocked and fails the test, since many networks this runs on have no internet.
import { beforeAll, expect, test } from 'vitest';
import { ROUTES } from '../../src/rest/routes.js';
import { cspViolations, launchChromium, recordCspViolations } from '../support/chromium.js';
import { given } from '../support/given.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type OpenApiDocument = { info: { title: string }; paths: Record<string, Record<string, unknown>> };

/** @default 60000 ms: Swagger UI parses 1.7 MB of JS, then lays out the whole document: close to 30 s on a busy machine. */
const PAGE_TIMEOUT_MS = 60_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});

test(
  'the docs page shows every route of /v1/openapi.json and runs one, loading nothing from elsewhere',
  async () => {
    const browser = await launchChromium();
    await given(app).user({ name: 'Alice in the docs' });

    const context = await browser.newContext();
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== app.origin) {
        elsewhere.push(url.href);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    await recordCspViolations(context);
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));

    // As the Deprecation Link header links it: a heading of the document's description.
    const response = await page.goto(new URL('/v1/docs#section/Deprecations', app.url).href);
    expect(response?.status()).toBe(200);
    await page.locator('.swagger-ui .info .title').waitFor();
    const document = (await (await app.fetch('/v1/openapi.json')).json()) as OpenApiDocument;
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain(document.info.title);

    // Each operation is one block, its method and path (data-path: the text has soft breaks).
    await page.locator('.opblock-summary').first().waitFor();
    const operations = await page
      .locator('.opblock-summary')
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(documented.sort());
    expect(operations).toEqual(expect.arrayContaining(ROUTES.map((route) => `${route.method} ${route.path}`)));
    await expect(page.getByText(ROUTES[0]!.summary).first().isVisible()).resolves.toBe(true);

    // The section the link names is scrolled to the top of the window.
    const heading = page.locator('.swagger-ui .info h1', { hasText: 'Deprecations' });
    await expect.poll(async () => Math.round((await heading.boundingBox())?.y ?? -1), { timeout: 5000 }).toBe(0);

    // "Try it out" on GET /v1/users: a request to this API from the page (connect-src 'self').
    const listUsers = page.locator('.opblock-get', { has: page.locator('[data-path="/v1/users"]') });
    await listUsers.locator('.opblock-summary').click();
    await listUsers.locator('button.try-out__btn').click();
    await listUsers.locator('button.execute').click();
    await listUsers.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();
    await listUsers.locator('.live-responses-table', { hasText: 'Alice in the docs' }).waitFor();

    expect(requested).toContain('/v1/openapi.json');
    expect(requested).toContain('/v1/users');
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
  },
  2 * PAGE_TIMEOUT_MS,
);
