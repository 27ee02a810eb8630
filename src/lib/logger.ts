import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Logs JSON lines to stdout, or to `destination` (tests read what the app logged). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
