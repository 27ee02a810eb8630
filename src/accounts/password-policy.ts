import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
/** The limits as the password forms show them (hint text, minlength/maxlength), so a page never states another number. */
export const PASSWORD_RULES = { minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH } as const;
/** zxcvbn's scale 0–4: 3 = "safely unguessable", about 10^8 guesses or more. */
const MIN_SCORE = 3;

/**
 * Built on the first password judged: the dictionaries (German and English words, names, common passwords) take
 * ~50 ms and ~20 MB of memory to load, which a process that only serves searches never needs (bench/README.md).
 * `require` because the check is synchronous (it runs inside zod schemas) and a dynamic import is not.
 */
let estimator: ZxcvbnFactory | undefined;
function strength(): ZxcvbnFactory {
  if (!estimator) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const de = require('@zxcvbn-ts/language-de') as typeof import('@zxcvbn-ts/language-de');
    const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
    /* eslint-enable @typescript-eslint/no-require-imports */
    estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs });
  }
  return estimator;
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooWeak';

/**
 * NIST-style policy: long enough and hard to guess, judged by a strength estimator with German and English
 * dictionaries and the user's own details (their email), never by composition rules.
 */
export function passwordProblem(password: string, userInputs: string[] = []): PasswordProblem | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'tooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'tooLong';
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\-_]/)]).filter((part) => part.length > 2);
  return strength().check(password, inputs).score < MIN_SCORE ? 'tooWeak' : undefined;
}

const PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  tooShort: `must have at least ${MIN_PASSWORD_LENGTH} characters`,
  tooLong: `must have at most ${MAX_PASSWORD_LENGTH} characters`,
  tooWeak: 'is too easy to guess; try four or five random words',
};

/** A new password in an API body (users created by admins or the CLI). */
export const newPasswordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: 'custom', message: PROBLEM_MESSAGES[problem] });
});
