// The org a request is addressed to, from its Host: the first label when the host ends in the
// base domain (`demo.localhost` → `demo`); otherwise none, and the credential's org is used.
export function orgSlugFromHost(host: string | undefined, baseDomain: string): string | null {
  if (host === undefined) return null;
  const name = host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (!name.endsWith(suffix)) return null;
  const labels = name.slice(0, -suffix.length);
  const first = labels.split('.')[0];
  return first === undefined || first.length === 0 ? null : first;
}
