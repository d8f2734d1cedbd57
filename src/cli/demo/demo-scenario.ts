// A realistic day on the platform, driven over its real HTTP endpoints: people join, sign in (and
// fail to), get roles, privileges, a team and access to things; automation gets tokens that are
// rotated; the SIEM watches it all and reads the day back. Every event type the platform writes
// over HTTP comes out of it; the run checks that in the trail itself.
import { promoteAndEmpower, moveOut, setUpTeam, takeBackPrivilege } from './demo-access.ts';
import { castOf, newRunTag, USER_AGENTS } from './demo-cast.ts';
import { DemoClient } from './demo-client.ts';
import { automation, issueSiemToken } from './demo-credentials.ts';
import type { DemoOptions } from './demo-options.ts';
import { adminSignsIn, adminSignsOut, guesserGetsThrottled, morningSignIns, onboard, readerOversteps } from './demo-people.ts';
import { DemoRun } from './demo-run.ts';
import { checkSignInOptions, tryGoogleSignIn } from './demo-sign-in-options.ts';
import { ssoSignIn } from './demo-sso.ts';
import { missingTypes, OPERATOR_ONLY_TYPES, summaryLines } from './demo-summary.ts';
import { openLiveLog, pullTheDay } from './demo-trail.ts';
import type { DemoWorld } from './demo-world.ts';

export async function runDemo(options: DemoOptions, out: (line: string) => void): Promise<void> {
  const client = new DemoClient(options.url);
  const cast = castOf(newRunTag());
  const world: DemoWorld = {
    run: new DemoRun(out),
    client,
    cast,
    admin: client.agent(USER_AGENTS.admin, { kind: 'browser' }),
    org: options.org ?? '',
    joined: new Map(),
  };
  const from = options.bootstrapFile === null ? '' : ` (defaults from ${options.bootstrapFile})`;
  out(`sectrail demo, run ${cast.tag}: ${client.origin}, org ${options.org ?? "named by the URL's host"}, admin ${options.email}${from}`);

  await adminSignsIn(world, options.email, options.password, options.org);
  const signInOptions = await checkSignInOptions(world);
  const token = options.token ?? (await issueSiemToken(world));
  // The seed guide's header form, exactly.
  const siem = client.agent(USER_AGENTS.siem, { kind: 'token', authorization: `Token token=${token}` });
  const live = await openLiveLog(world, siem);

  const { maya, liam, sofia, jordan } = cast;
  await onboard(world, [maya, liam, sofia, jordan]);
  await morningSignIns(world);
  await promoteAndEmpower(world);
  const places = await setUpTeam(world);
  await tryGoogleSignIn(world, signInOptions);
  await ssoSignIn(world);
  await automation(world);
  await readerOversteps(world);
  await moveOut(world, places);
  await takeBackPrivilege(world);
  await guesserGetsThrottled(world);
  await adminSignsOut(world);

  const events = await pullTheDay(world, siem, live);
  await world.run.step('every event type the platform writes over HTTP is in the trail', async () => {
    const missing = missingTypes(events);
    if (missing.length > 0) throw new Error(`the trail lacks ${missing.join(', ')}`);
  });
  out(`events this run wrote, read back through the trail (${OPERATOR_ONLY_TYPES.join(', ')} come from the operator's CLI and the server itself only):`);
  for (const line of summaryLines(events)) out(line);
}
