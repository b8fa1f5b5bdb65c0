// GraphiQL in a real browser: Debian's Chromium (`apt-get install chromium`; never downloaded
// here), driven by playwright-core. Every request the page makes is recorded: all must go to
// the server itself, since many networks this runs on have no internet.
import { beforeAll, expect, test } from 'vitest';
import { cspViolations, launchChromium, recordCspViolations } from '../support/chromium.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** @default 60000 ms: the page is 9 MB of inline JS that Chromium parses and compiles first. */
const PAGE_TIMEOUT_MS = 60_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});

test(
  'GraphiQL runs a typed query and shows the result, loading nothing from elsewhere',
  async () => {
    const browser = await launchChromium();
    const alice = await given(app).user({ name: 'Alice' });
    for (const title of ['Oldest post', 'Middle post', 'Newest post']) await given(app).post({ by: alice, title });

    const context = await browser.newContext(); // a fresh profile: no stored GraphiQL tabs
    const requested: string[] = [];
    context.on('request', (req) => requested.push(req.url()));
    const sockets: string[] = [];
    context.on('page', (page) => page.on('websocket', (ws) => sockets.push(ws.url())));
    await recordCspViolations(context);
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));

    const response = await page.goto(app.url.href);
    expect(response?.headers()['content-encoding']).toBe('br');
    expect(response?.headers()['x-request-id']).toBeTruthy();
    const editor = page.locator('.graphiql-query-editor .monaco-editor');
    await editor.waitFor();
    // Monaco draws spaces as no-break spaces, one div per line, and only the lines in view.
    const shows = (selector: string, text: string, timeout = PAGE_TIMEOUT_MS) =>
      page.waitForFunction(
        ([s, t]) => document.querySelector(s)?.textContent.replaceAll('\u00a0', ' ').includes(t),
        [selector, text] as const,
        { timeout },
      );
    await shows('.graphiql-query-editor .view-lines', 'query Explore'); // the default query

    // Replace the default query; insertText, not typing, so Monaco's bracket auto-closing stays out of it.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('{ posts(first: 2) { edges { node { title } } } }');
    const result = '.graphiql-response .view-lines';
    // GraphiQL picks up the edited document's operations after a debounce; run before it has, and
    // its fetcher refuses the stale operation name ("Cannot infer operation Explore"): run again.
    for (let n = 1; ; n++) {
      await page.locator('.graphiql-execute-button').click();
      if (
        await shows(result, 'Middle post', 1000 * n).then(
          () => true,
          () => n >= 10,
        )
      )
        break;
    }
    await shows(result, 'Middle post');
    const lines = await page.locator(result).locator('.view-line').allInnerTexts();
    expect(JSON.parse(lines.join('\n').replaceAll('\u00a0', ' '))).toMatchObject({
      data: { posts: { edges: [{ node: { title: 'Newest post' } }, { node: { title: 'Middle post' } }] } },
    });

    // Validation runs in Monaco's graphql worker (a blob: URL): an unknown field gets underlined.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{ noSuchField }');
    await page.locator('.graphiql-query-editor .squiggly-error').waitFor();
    expect(sockets).toEqual([]); // GraphiQL opens a socket only to run a subscription

    // A subscription runs over graphql-ws on this same path (CSP lets the page open that socket):
    // posts created through the API show up in the response pane as they are published. The
    // first may come before the subscription is live, so probe until one shows.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('subscription { postCreated { title } }');
    await page.locator('.graphiql-execute-button').click();
    const session = await signIn(app, alice);
    const deadline = Date.now() + 30_000;
    for (let n = 1; ; n++) {
      await app.query(`mutation { createPost(input: { title: "Live post ${n}", content: "Hello." }) { id } }`, undefined, session);
      const shown = await shows(result, 'Live post', 250 * n).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (Date.now() > deadline) throw new Error('the subscription never showed an event in GraphiQL');
    }
    expect(sockets).toEqual([app.url.href.replace(/^http/, 'ws')]);

    expect(await cspViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    const elsewhere = [...requested, ...sockets].filter((url) => {
      if (url.startsWith('data:') || url.startsWith('blob:')) return false;
      const { protocol, host } = new URL(url);
      return host !== app.url.host || !['http:', 'ws:'].includes(protocol);
    });
    expect(elsewhere).toEqual([]);
  },
  2 * PAGE_TIMEOUT_MS,
);
