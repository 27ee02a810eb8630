import { z } from 'zod';
import { emailAddressSchema } from './lib/contact-schemas';
import { pointTextSchema } from './providers/venue.schema';

const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  MEILI_URL: z.url({ protocol: /^https?$/ }).optional(),
  MEILI_MASTER_KEY: z.string().min(1).optional(),
  MEILI_API_KEY: z.string().min(1).optional(),
  MEILI_INDEX_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,40}$/, 'may hold letters, digits, _ and - only').default(''),
  SEED_DEMO: booleanString.optional(),
  ADMIN_EMAIL: emailAddressSchema.optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must have at least 12 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGOD_BIN: z.string().min(1).optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 30),
  JSON_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/, 'must look like 100kb or 1mb').default('256kb'),
  WRITE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s"'<>]*\{z\}[^\s"'<>]*$/, 'must be an http(s) tile URL with {z}, {x} and {y}')
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_ATTRIBUTION: z.string().min(1).max(300).default('© OpenStreetMap contributors'),
  REGION_CENTRE: pointTextSchema.default({ lat: 49.198, lng: 8.117 }),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  TRUST_PROXY: z
    .string()
    .regex(/^(loopback|true|false|\d{1,2}|[\d.:/a-f, ]+)$/i, 'must be loopback, true, false, a hop count or addresses')
    .default('loopback'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  /** external Meilisearch: the app uses `apiKey`, else a scoped key it derives from `masterKey` (src/infra/meili-keys.ts) */
  meili: { url: string; masterKey: string | undefined; apiKey: string | undefined } | undefined;
  indexPrefix: string;
  seedDemo: boolean;
  admin: { email: string; password: string } | undefined;
  sessionSecret: string | undefined;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  mongodBin: string | undefined;
  login: { maxFailures: number; windowSeconds: number };
  tokenTtlHours: number;
  jsonBodyLimit: string;
  /** the longest a write transaction or update may take before the request answers 503 (retry later) */
  writeTimeoutMs: number;
  /** the website's maps: where tiles come from (also allowed by the Content-Security-Policy) and whom to credit */
  map: { tileUrl: string; tileOrigin: string; attribution: string };
  /** the home region (Landau by default): place suggestions asked without `near` lean towards it */
  regionCentre: { lat: number; lng: number };
  /** website logins: idle and absolute lifetime of a session */
  session: { idleMinutes: number; absoluteHours: number };
  /** Express `trust proxy`: whom to believe about the client's address and HTTPS (secure cookies behind a proxy) */
  trustProxy: boolean | number | string;
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value stops the start with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}.`);
  }
  const e = parsed.data;
  if (e.MEILI_URL && !e.MEILI_MASTER_KEY && !e.MEILI_API_KEY) {
    throw new ConfigError('Invalid configuration: MEILI_API_KEY or MEILI_MASTER_KEY is required when MEILI_URL is set.');
  }
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production.');
  }
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together.');
  }
  const embedded = !e.MONGODB_URI && !e.MEILI_URL;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    mongodbUri: e.MONGODB_URI,
    meili: e.MEILI_URL ? { url: e.MEILI_URL, masterKey: e.MEILI_MASTER_KEY, apiKey: e.MEILI_API_KEY } : undefined,
    indexPrefix: e.MEILI_INDEX_PREFIX,
    seedDemo: e.SEED_DEMO ?? embedded,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    mongodBin: e.MONGOD_BIN,
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    tokenTtlHours: e.TOKEN_TTL_HOURS,
    jsonBodyLimit: e.JSON_BODY_LIMIT,
    writeTimeoutMs: e.WRITE_TIMEOUT_MS,
    map: { tileUrl: e.MAP_TILE_URL, tileOrigin: new URL(e.MAP_TILE_URL).origin, attribution: e.MAP_ATTRIBUTION },
    regionCentre: e.REGION_CENTRE,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    trustProxy: e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
  };
}
