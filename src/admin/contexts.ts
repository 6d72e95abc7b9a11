import { createContext } from '@lit/context';
import type { AdminApi } from './api/admin-api.ts';

/** The admin API client, provided by <earshot-admin-console>. */
export const adminApiContext = createContext<AdminApi>(Symbol('earshot-admin-api'));

/** The API client, or a plain error when the element is used outside the console. */
export function requireApi(api: AdminApi | undefined): AdminApi {
  if (!api) throw new Error('Not signed in to the admin console.');
  return api;
}
