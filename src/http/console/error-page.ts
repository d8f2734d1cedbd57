// The page a browser shows when a sign-in it was sent through fails (an SSO start or callback):
// the same status, code and message as the JSON answer, readable, with a way back to sign in. Only
// for the browser's own navigation (Sec-Fetch-Mode: navigate); every other client gets the JSON.
import type { FastifyRequest } from 'fastify';
import type { SectrailError } from '../../core/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A browser is sent to this route: a failure it navigated to is shown as a page. */
    browserPage?: boolean;
  }
}

/** Whether this request is a browser navigating to a route meant for browsers. */
export function wantsErrorPage(request: FastifyRequest): boolean {
  return request.routeOptions.config.browserPage === true && request.headers['sec-fetch-mode'] === 'navigate';
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export function errorPage(error: SectrailError): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in failed · sectrail</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<main id="main" class="sign-in">
<h1>Sign-in failed</h1>
<p class="notice error" role="alert">${escapeHtml(error.message)}</p>
<p>Error code: <code>${escapeHtml(error.code)}</code></p>
<p><a class="button" href="/">Back to sign-in</a></p>
</main>
</body>
</html>
`;
}
