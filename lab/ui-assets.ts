import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scimErrors } from '../scim/errors';
import type { Reply, Route } from './http-core';

// The lab view's page and its bundle (ui/, built by `npm run build` into dist/ui/). Served from the package: the page
// loads nothing but its own script and style sheet, and its Content-Security-Policy forbids anything else.

/** The bundle's files, as scripts/build-ui.js writes them. */
export const UI_BUNDLE = { script: 'app.js', style: 'app.css' } as const;

/**
 * Only this origin's script, style sheet and API; no inline code, no frames, no forms posted elsewhere.
 * `connect-src 'self'` covers fetch() and EventSource.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const UI_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scim-lab: live lab view</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/__ui/${UI_BUNDLE.style}">
</head>
<body>
<div id="app"><noscript>The lab view needs JavaScript.</noscript></div>
<script src="/__ui/${UI_BUNDLE.script}"></script>
</body>
</html>
`;

/** dist/ui/ of the scim-lab package this file belongs to (from source or from dist/). */
export function uiBundleDir(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scim-lab')
      return join(dir, 'dist', 'ui');
    const parent = dirname(dir);
    if (parent === dir) return join(__dirname, '..', 'ui');
    dir = parent;
  }
}

/** The page and the bundle's two files: open routes (the page asks for the admin token itself). */
export function uiAssetRoutes(bundleDir = uiBundleDir()): Route[] {
  const cache = new Map<string, string>();
  const asset = (file: string, type: string) => (): Reply => {
    let text = cache.get(file);
    if (text === undefined) {
      const path = join(bundleDir, file);
      // A source checkout that was never built: say how to build, rather than a bare 404.
      if (!existsSync(path)) throw scimErrors.notFound(`lab view: ${file} is not built; run npm run build`);
      text = readFileSync(path, 'utf8');
      cache.set(file, text);
    }
    return { status: 200, raw: text, type, headers: UI_SECURITY_HEADERS };
  };
  const page = (): Reply => ({
    status: 200,
    raw: PAGE,
    type: 'text/html; charset=utf-8',
    headers: UI_SECURITY_HEADERS,
  });
  return [
    { path: '/', handlers: { GET: page }, open: true },
    {
      path: `/${UI_BUNDLE.script}`,
      handlers: { GET: asset(UI_BUNDLE.script, 'text/javascript; charset=utf-8') },
      open: true,
    },
    { path: `/${UI_BUNDLE.style}`, handlers: { GET: asset(UI_BUNDLE.style, 'text/css; charset=utf-8') }, open: true },
  ];
}
