// Who may do what: a promotion, privileges granted and one taken back, a team as a group, and
// access to a project and a dashboard granted to people and to the group, changed and removed.
import { stringField } from './demo-client.ts';
import { joinedAs, type DemoWorld } from './demo-world.ts';

export interface TeamPlaces {
  readonly groupId: string;
  readonly groupName: string;
  readonly projectId: string;
  readonly dashboardId: string;
}

export async function promoteAndEmpower(world: DemoWorld): Promise<void> {
  const { sofia } = world.cast;
  const id = joinedAs(world, sofia).id;
  await world.run.step(`the admin promotes ${sofia.name} from reader to writer`, async () => {
    await world.admin.call('PATCH', `/api/users/${id}/role`, { role: 'writer' }, 200);
  });
  await world.run.step(`the admin grants ${sofia.name} groups:manage and permissions:manage`, async () => {
    await world.admin.call('PATCH', `/api/users/${id}/privileges`, { add: ['groups:manage', 'permissions:manage'] }, 200);
  });
}

export async function takeBackPrivilege(world: DemoWorld): Promise<void> {
  const { sofia } = world.cast;
  await world.run.step(`the admin takes permissions:manage back from ${sofia.name}`, async () => {
    await world.admin.call('PATCH', `/api/users/${joinedAs(world, sofia).id}/privileges`, { remove: ['permissions:manage'] }, 200);
  });
}

/** A team group with three members, a project created by a writer, a dashboard, and who may use them. */
export async function setUpTeam(world: DemoWorld): Promise<TeamPlaces> {
  const { maya, liam, sofia, tag } = world.cast;
  const groupName = `Payments On-Call (${tag})`;
  const groupId = await world.run.step(`the admin creates the group ${groupName}`, async () =>
    stringField(await world.admin.call('POST', '/api/groups', { name: groupName }, 201), 'id'),
  );
  await world.run.step(`the admin adds ${maya.name}, ${liam.name} and ${sofia.name} to it`, async () => {
    const add = [maya, liam, sofia].map((person) => joinedAs(world, person).id);
    await world.admin.call('PATCH', `/api/groups/${groupId}/members`, { add }, 200);
  });
  const projectId = await world.run.step(`${maya.name}, a writer, creates the project billing-api`, async () => {
    const answer = await joinedAs(world, maya).browser.call('POST', '/api/resources', { type: 'project', name: 'billing-api' }, 201);
    return stringField(answer, 'id');
  });
  const dashboardId = await world.run.step('the admin creates the dashboard Revenue overview', async () =>
    stringField(await world.admin.call('POST', '/api/resources', { type: 'dashboard', name: 'Revenue overview' }, 201), 'id'),
  );
  const grant = async (resourceId: string, kind: 'user' | 'group', id: string, access: string, label: string) => {
    await world.run.step(label, async () => {
      await world.admin.call('PUT', `/api/resources/${resourceId}/permissions`, { subject: { kind, id }, access }, 200);
    });
  };
  await grant(projectId, 'user', joinedAs(world, maya).id, 'write', `the admin gives ${maya.name} write access to billing-api`);
  await grant(projectId, 'group', groupId, 'read', `the admin gives ${groupName} read access to billing-api`);
  await grant(projectId, 'group', groupId, 'write', `the admin raises ${groupName} to write access on billing-api`);
  await grant(dashboardId, 'user', joinedAs(world, liam).id, 'read', `the admin gives ${liam.name} read access to Revenue overview`);
  return { groupId, groupName, projectId, dashboardId };
}

/** A member moves to another team: out of the group, and their dashboard access removed. */
export async function moveOut(world: DemoWorld, places: TeamPlaces): Promise<void> {
  const { liam } = world.cast;
  const id = joinedAs(world, liam).id;
  await world.run.step(`the admin removes ${liam.name} from ${places.groupName}`, async () => {
    await world.admin.call('PATCH', `/api/groups/${places.groupId}/members`, { remove: [id] }, 200);
  });
  await world.run.step(`the admin removes ${liam.name}'s access to Revenue overview`, async () => {
    await world.admin.call('PUT', `/api/resources/${places.dashboardId}/permissions`, { subject: { kind: 'user', id }, access: 'none' }, 200);
  });
}
