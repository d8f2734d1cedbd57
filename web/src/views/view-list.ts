// The console's views, in the order the navigation shows them; the first one a person may use is
// the landing view. Who may use which mirrors the API's rules (README, "Who may call what") only
// to keep the navigation to what works: the server decides, and a view it refuses says so.
import type { Me } from '../types.ts';
import { groupsView } from './groups.ts';
import { logView } from './log-view.ts';
import { loginSettingsView } from './login-settings.ts';
import { membersView } from './members.ts';
import { resourcesView } from './resources.ts';
import { serviceAccountsView } from './service-accounts.ts';
import { tokensView } from './tokens.ts';

export interface View {
  readonly path: string;
  readonly title: string;
  readonly render: (into: HTMLElement, me: Me) => Promise<void>;
  readonly usableBy: (me: Me) => boolean;
}

const isAdmin = (me: Me) => me.user.role === 'admin';
const holdsAny = (me: Me, ...privileges: string[]) => isAdmin(me) || privileges.some((privilege) => me.user.privileges.includes(privilege));

const VIEWS: readonly View[] = [
  { path: 'log', title: 'Security log', render: logView, usableBy: (me) => holdsAny(me, 'security-log:read') },
  { path: 'tokens', title: 'Access tokens', render: tokensView, usableBy: isAdmin },
  { path: 'service-accounts', title: 'Service accounts', render: serviceAccountsView, usableBy: isAdmin },
  { path: 'members', title: 'Members', render: membersView, usableBy: (me) => holdsAny(me, 'members:invite', 'groups:manage', 'permissions:manage') },
  { path: 'groups', title: 'Groups', render: groupsView, usableBy: (me) => holdsAny(me, 'groups:manage', 'permissions:manage') },
  {
    path: 'resources',
    title: 'Resources',
    render: resourcesView,
    usableBy: (me) => me.user.role === 'writer' || holdsAny(me, 'resources:create', 'permissions:manage'),
  },
  { path: 'login-settings', title: 'Login settings', render: loginSettingsView, usableBy: isAdmin },
];

export function viewsFor(me: Me): View[] {
  return VIEWS.filter((view) => view.usableBy(me));
}
