// The console's views, in the order the navigation shows them; the first is the landing view.
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
}

export const VIEWS: readonly View[] = [
  { path: 'log', title: 'Security log', render: logView },
  { path: 'tokens', title: 'Access tokens', render: tokensView },
  { path: 'service-accounts', title: 'Service accounts', render: serviceAccountsView },
  { path: 'members', title: 'Members', render: membersView },
  { path: 'groups', title: 'Groups', render: groupsView },
  { path: 'resources', title: 'Resources', render: resourcesView },
  { path: 'login-settings', title: 'Login settings', render: loginSettingsView },
];
