import { givenProvider, loginAs, type Session } from './builders';
import type { TestApp } from './test-app';

/** Everyone an authorization matrix asks about. */
export type Who = 'anonymous' | 'a counselor' | 'a provider of another organisation' | 'the own provider' | 'an admin';

export type Cast = {
  ownProviderId: string;
  otherProviderId: string;
  own: Session;
  other: Session;
  counselor: Session;
  admin: Session;
  authOf(who: Who): Record<string, string>;
};

/** Two provider organisations and a logged-in user of each role. */
export async function givenCast(t: TestApp, names: [own: string, other: string]): Promise<Cast> {
  const [ownProviderId, otherProviderId] = await Promise.all([givenProvider(t, { name: names[0] }), givenProvider(t, { name: names[1] })]);
  const [own, other, counselor, admin] = await Promise.all([
    loginAs(t, 'provider', ownProviderId),
    loginAs(t, 'provider', otherProviderId),
    loginAs(t, 'counselor'),
    loginAs(t, 'admin'),
  ]);
  const sessions: Record<Exclude<Who, 'anonymous'>, Session> = {
    'a counselor': counselor,
    'a provider of another organisation': other,
    'the own provider': own,
    'an admin': admin,
  };
  return {
    ownProviderId: ownProviderId ?? '',
    otherProviderId: otherProviderId ?? '',
    own,
    other,
    counselor,
    admin,
    authOf: (who) => (who === 'anonymous' ? {} : sessions[who].auth),
  };
}
