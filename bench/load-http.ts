// The load run's small HTTP client: a JSON POST to the server on 127.0.0.1 with an org's Host and
// a token, through a given agent.
import { Agent, request } from 'node:http';

export interface LoadOrg {
  readonly slug: string;
  readonly readToken: string;
  readonly adminToken: string;
}

export function loadHeaders(org: LoadOrg, token: string): Record<string, string> {
  return { host: `${org.slug}.localhost`, 'content-type': 'application/json', authorization: `Token token=${token}` };
}

const oneAtATime = new Agent({ keepAlive: true, maxSockets: 1 });

export function postJson(
  port: number,
  org: LoadOrg,
  token: string,
  path: string,
  body: unknown,
  agent: Agent = oneAtATime,
): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...loadHeaders(org, token), 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export function closeLoadHttp(): void {
  oneAtATime.destroy();
}
