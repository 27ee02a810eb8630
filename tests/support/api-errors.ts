import type { Response } from 'supertest';

/** The error shape of api.md. */
export type ApiErrorBody = {
  error: {
    code: string;
    message: string;
    details: Array<{ param: string; message: string }>;
    currentVersion?: number;
    retryAfterSeconds?: number;
  };
};

export function errorOf(res: Response): ApiErrorBody['error'] {
  const body = res.body as Partial<ApiErrorBody>;
  if (!body.error) throw new Error(`expected an error body, got ${res.status} ${JSON.stringify(res.body)}`);
  return body.error;
}

/** The fields a 400 names, as the client would read them. */
export function paramsOf(res: Response): string[] {
  return errorOf(res).details.map((d) => d.param);
}
