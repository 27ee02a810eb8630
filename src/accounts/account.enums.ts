import { z } from 'zod';

export const ROLES = ['admin', 'counselor', 'provider'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
