// The files of the REST docs page (GET /v1/docs): Swagger UI from the swagger-ui-dist package,
// the script that starts it, and the page that links them, all served by this server so the page
// works on networks without internet. Swagger UI, not Redoc or Scalar: it needs no inline script,
// no eval and no web font, so the page's CSP can forbid all three (docs-page.ts); Scalar loads its
// fonts from its own CDN unless told not to, and Redoc's standalone bundle injects <style> elements.
// Read from disk on the first view only: most processes never serve them.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type Asset = { bytes: Buffer; contentType: string; compressible: boolean };

/** The page and its assets, each asset under a name that changes with its content. */
export type DocsFiles = { page: Buffer; assets: ReadonlyMap<string, Asset> };

/** Where the page's assets are, relative to the page (/v1/docs/assets/…, also behind a proxy's prefix). */
export const ASSETS_DIRECTORY = 'docs/assets/';

/** Shown as the browser tab's title; the page itself shows the document's info.title. */
const PAGE_TITLE = 'Social GraphQL: REST API v1';

// The only script of our own: the CSP forbids inline ones. `url` is relative to /v1/docs.
// validatorUrl: by default Swagger UI sends the document's URL to validator.swagger.io for a badge.
// BaseLayout: without the explorer bar, whose URL box would load any other document.
// #section/<Heading> (the Deprecation Link header's /v1/docs#section/Deprecations) names a heading
// of the document's description, as Redoc's links do; Swagger UI gives its headings no ids, so
// the heading is found by its text once the document is drawn (onComplete).
const START_SCRIPT = `function showSection(triesLeft = 50) {
  const match = /^#\\/?section\\/(.+)$/.exec(location.hash); // deepLinking makes it #/section/…
  if (!match) return;
  const name = decodeURIComponent(match[1]).replace(/-/g, ' ');
  const headings = document.querySelectorAll('.swagger-ui .info :is(h1, h2, h3, h4)');
  const heading = [...headings].find((element) => element.textContent.trim() === name);
  if (heading) heading.scrollIntoView();
  else if (triesLeft > 0) setTimeout(() => showSection(triesLeft - 1), 100); // drawn after onComplete
}
window.addEventListener('hashchange', () => showSection());
window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  layout: 'BaseLayout',
  onComplete: () => showSection(),
});
`;

const TEXT = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export async function loadDocsFiles(): Promise<DocsFiles> {
  const [bundle, css, pageCss, icon] = await Promise.all(
    ['swagger-ui-bundle.js', 'swagger-ui.css', 'index.css', 'favicon-32x32.png'].map((file) => readFile(packageFile(file))),
  );
  const assets = new Map<string, Asset>();
  const add = (name: string, extension: string, asset: Asset) => {
    const hashed = `${name}.${createHash('sha256').update(asset.bytes).digest('hex').slice(0, 16)}.${extension}`;
    assets.set(hashed, asset);
    return ASSETS_DIRECTORY + hashed;
  };
  const scriptUrls = [
    add('swagger-ui-bundle', 'js', { bytes: withoutSourceMap(bundle!), contentType: TEXT.js, compressible: true }),
    add('start', 'js', { bytes: Buffer.from(START_SCRIPT), contentType: TEXT.js, compressible: true }),
  ];
  const stylesheetUrl = add('swagger-ui', 'css', {
    bytes: Buffer.concat([withoutSourceMap(css!), Buffer.from('\n'), pageCss!]),
    contentType: TEXT.css,
    compressible: true,
  });
  const iconUrl = add('favicon', 'png', { bytes: icon!, contentType: 'image/png', compressible: false });
  return { page: Buffer.from(pageHtml(scriptUrls, stylesheetUrl, iconUrl)), assets };
}

// Deferred scripts run in order, after the document is parsed: Swagger UI, then the start script.
function pageHtml(scriptUrls: string[], stylesheetUrl: string, iconUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PAGE_TITLE}</title>
<link rel="icon" type="image/png" href="${iconUrl}">
<link rel="stylesheet" href="${stylesheetUrl}">
${scriptUrls.map((url) => `<script defer src="${url}"></script>`).join('\n')}
</head>
<body>
<div id="swagger-ui"></div>
<noscript>This page needs JavaScript. The API is described in <a href="openapi.json">openapi.json</a>.</noscript>
</body>
</html>
`;
}

function packageFile(file: string): URL {
  return new URL(import.meta.resolve(`swagger-ui-dist/${file}`));
}

/** Without the comment pointing at a source map we don't serve: devtools would ask for it and get a 404. */
function withoutSourceMap(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('utf8').replace(/\n?\/[/*]# sourceMappingURL=\S+\s*(\*\/)?\s*$/, '\n'));
}
