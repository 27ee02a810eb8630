import { z } from 'zod';
import { defineRoute } from '../lib/api-route';
import type { AppServices } from '../app-services';
import { clientProfileSchema } from './client-profile.schema';
import { CONSTRAINTS } from './match-constraints';
import { RANKING_FACTS } from './match-ranking';

const courseHitSchema = z.record(z.string(), z.unknown()).meta({ description: 'A search hit, as GET /api/v1/courses returns it.' });
const constraintSchema = z.enum(CONSTRAINTS);

const matchAnswerSchema = z.object({
  matches: z.array(
    z.object({
      course: courseHitSchema,
      score: z.number().min(0).max(1),
      reasons: z.array(z.object({ code: z.enum([...CONSTRAINTS, ...RANKING_FACTS]), text: z.string() })),
    }),
  ),
  nearMisses: z.array(z.object({ course: courseHitSchema, failed: constraintSchema, reason: z.string() })),
  excludedMost: constraintSchema.optional(),
});

export function matchingRoutes({ matching }: AppServices) {
  return [
    defineRoute({
      method: 'post',
      path: '/match',
      summary: 'Courses for a client profile: every match with its score and reasons, best first, and near-misses that fail exactly one constraint',
      tag: 'matching',
      access: ['counselor', 'admin'],
      body: clientProfileSchema,
      responses: {
        200: { description: 'Matches (at most 100), near-misses (at most 10 per constraint), and excludedMost when nothing matches', schema: matchAnswerSchema },
      },
      handle: async ({ body }) => ({ json: await matching.match(body) }),
    }),
  ];
}
