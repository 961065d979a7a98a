// The UI's single API client instance and re-exports; views import from here.
import { ApiClient } from './client';
import { localSessionStore } from './session';

export * from './client';
export * from './session';
export * from './types';
export * as endpoints from './endpoints';

export const api = new ApiClient({ session: localSessionStore() });
