import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SectrailError } from '../../core/errors.ts';
import { errorPage } from './error-page.ts';

test('writes the message and code as text: markup in them is escaped, never run', () => {
  const page = errorPage(new SectrailError('UNAUTHENTICATED', `<script>alert("x")</script> & 'quoted'`));
  assert.doesNotMatch(page, /<script/);
  assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quoted&#39;/);
  assert.match(page, /<code>UNAUTHENTICATED<\/code>/);
});
