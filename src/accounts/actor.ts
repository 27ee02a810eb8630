import type { Role } from './account.enums';

/** Who is making a request, as every service sees it. */
export type Actor = { userId: string; role: Role; providerId?: string };
