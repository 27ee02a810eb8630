/**
 * Invalid search parameters: always a 400 `invalid_query` naming the parameter (api.md), never a 500.
 */
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { arrangeCourses } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('searchbadqueries');
  const providerId = await givenProvider(t);
  const provider = await loginAs(t, 'provider', providerId);
  await arrangeCourses(t, provider, 'Test-Sprachschule Landau', [aCourse(), aCourse({ mode: 'online', venue: undefined })]);
  await t.settle();
});

afterAll(async () => {
  await t?.close();
});

const NEAR = 'near=49.1989,8.1169';

/** [query string, the parameter the 400 must name] */
const BAD: Array<[string, string]> = [
  ['level=Z9', 'level'],
  ['level=A1,Z9', 'level'],
  ['level=a1', 'level'],
  ['level=A1&level=Z9', 'level'],
  ['days=monday', 'days'],
  ['days=tue,Thu', 'days'],
  ['type=integration', 'type'],
  ['mode=offline', 'mode'],
  ['timeOfDay=night', 'timeOfDay'],
  [`${NEAR}&radiusKm=0`, 'radiusKm'],
  [`${NEAR}&radiusKm=0.0`, 'radiusKm'],
  [`${NEAR}&radiusKm=10000`, 'radiusKm'],
  [`${NEAR}&radiusKm=200.001`, 'radiusKm'],
  [`${NEAR}&radiusKm=-5`, 'radiusKm'],
  [`${NEAR}&radiusKm=abc`, 'radiusKm'],
  [`${NEAR}&radiusKm=1e2`, 'radiusKm'],
  ['postcode=76829&radiusKm=0', 'radiusKm'],
  ['radiusKm=10', 'radiusKm'],
  ['near=abc', 'near'],
  ['near=91,8', 'near'],
  ['near=-90.5,8', 'near'],
  ['near=49,181', 'near'],
  ['near=49,-180.1', 'near'],
  ['near=49', 'near'],
  ['near=49,8,1', 'near'],
  ['near=NaN,NaN', 'near'],
  ['near=Infinity,8', 'near'],
  ['near=1e1,8', 'near'],
  ['near=49;8', 'near'],
  ['perPage=1000', 'perPage'],
  ['perPage=101', 'perPage'],
  ['perPage=0', 'perPage'],
  ['perPage=-1', 'perPage'],
  ['perPage=1.5', 'perPage'],
  ['perPage=ten', 'perPage'],
  ['page=0', 'page'],
  ['page=-1', 'page'],
  ['page=abc', 'page'],
  ['page=10001', 'page'],
  ['startFrom=2027-13-01', 'startFrom'],
  ['startFrom=01.02.2027', 'startFrom'],
  ['startFrom=2027-02-30', 'startFrom'],
  ['startFrom=2027-2-1', 'startFrom'],
  ['startFrom=2027-01-01T00:00:00Z', 'startFrom'],
  ['startTo=2027-02-29', 'startTo'],
  ['startTo=tomorrow', 'startTo'],
  ['sort=distance', 'sort'],
  ['sort=distance&level=A1&mode=online', 'sort'],
  ['sort=foo', 'sort'],
  ['sort=START', 'sort'],
  ['childcare=maybe', 'childcare'],
  ['childcare=1', 'childcare'],
  ['childcare=TRUE', 'childcare'],
  ['womenOnly=yes', 'womenOnly'],
  ['free=on', 'free'],
  ['seats=some', 'seats'],
  ['seats=0', 'seats'],
  ['childAgeMonths=-1', 'childAgeMonths'],
  ['childAgeMonths=217', 'childAgeMonths'],
  ['childAgeMonths=1.5', 'childAgeMonths'],
  ['childAgeMonths=baby', 'childAgeMonths'],
  ['postcode=7682', 'postcode'],
  ['postcode=abcde', 'postcode'],
  ['postcode=768290', 'postcode'],
  ['postcode=00000', 'postcode'],
  [`postcode=76829&${NEAR}`, 'postcode'],
  ['lang=english', 'lang'],
  ['lang=EN', 'lang'],
  [`q=${'x'.repeat(201)}`, 'q'],
];

describe('400 naming the parameter', () => {
  it.each(BAD)('%s → %s', async (query, param) => {
    const res = await t.http.get(`/api/v1/courses?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message).toContain(param);
    expect(res.body.error.details[0].param).toBe(param);
    expect([...new Set(res.body.error.details.map((d: { param: string }) => d.param))]).toEqual([param]);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+|node_modules|Meili/);
  });

  it('names every offending parameter at once', async () => {
    const res = await t.http.get('/api/v1/courses?level=Z9&perPage=0&days=monday');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { param: string }) => d.param).sort()).toEqual(['days', 'level', 'perPage']);
  });

  it('the error has exactly the documented shape', async () => {
    const res = await t.http.get('/api/v1/courses?level=Z9');
    expect(res.body).toEqual({
      error: { code: 'invalid_query', message: expect.any(String), details: [{ param: 'level', message: expect.any(String) }] },
    });
  });
});

describe('valid edge values are accepted', () => {
  it.each([
    `${NEAR}&radiusKm=200`,
    `${NEAR}&radiusKm=0.001`,
    'near=90,180',
    'near=-90,-180',
    'near=0.0000000001,-0.0000000001',
    'near= 49.1989 , 8.1169 ',
    'postcode=76829&radiusKm=200&sort=distance',
    'perPage=100&page=10000',
    'perPage=1',
    'childAgeMonths=0',
    'childAgeMonths=216',
    'childcare=false&womenOnly=false&free=false',
    'level=&days=&type=,,&mode=%20',
    'level=alpha,A1,A2,B1,B2,C1,C2',
    'days=mon,mon,tue',
    'startFrom=2028-02-29&startTo=2028-02-29',
    'lang=xx',
    'q=',
    // api.md: an empty value (as a plain HTML form sends it) means the parameter is absent
    'near=', 'page=', 'sort=', 'lang=', 'postcode=', 'childAgeMonths=', 'near=%20&postcode=&radiusKm=',
    `q=${'x'.repeat(200)}`,
    'unknownParam=1&status=draft&filter=status%20%3D%20draft',
    '__proto__=a&__proto__=b&level=A1',
  ])('%s → 200', async (query) => {
    const res = await t.http.get(`/api/v1/courses?${query}`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.hits)).toBe(true);
  });
});

describe('never a 500', () => {
  const PARAMS = [
    'q', 'level', 'type', 'mode', 'days', 'timeOfDay', 'childcare', 'childAgeMonths', 'womenOnly', 'free', 'seats',
    'near', 'radiusKm', 'postcode', 'startFrom', 'startTo', 'sort', 'page', 'perPage', 'lang',
  ];
  const VALUES = [
    '', ' ', '%00', '%', '%ZZ', '%E0%A4%A', '[]', '{}', 'null', 'undefined', 'true', '-0', 'NaN', 'Infinity', '1e308',
    '0x10', '9'.repeat(30), '%22', '%5C', '%5C%22', '%22%20OR%20status%20%3D%20%22draft', ')%20OR%20(1%3D1', '%F0%9F%98%80',
    encodeURIComponent('ä,ö,ü'), encodeURIComponent(','.repeat(50)), encodeURIComponent('A1,'.repeat(30)), 'x'.repeat(3000),
  ];

  it('for odd values in every parameter, alone and next to a location', async () => {
    const failures: string[] = [];
    for (const param of PARAMS) {
      for (const value of VALUES) {
        for (const prefix of ['', `${NEAR}&`]) {
          const url = `/api/v1/courses?${prefix}${param}=${value}`;
          const res = await t.http.get(url);
          if (res.status !== 200 && !(res.status === 400 && res.body.error?.code === 'invalid_query')) failures.push(`${res.status} ${url.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('for bracket, prototype and repeated keys', async () => {
    const urls = [
      'level[]=A1', 'level[$ne]=x', 'level[0]=A1&level[1]=B9', 'q[$gt]=', '__proto__=1', '__proto__[level]=Z9',
      'constructor[prototype][x]=1', 'hasOwnProperty=1', 'page=1&page=2&page=x', 'q=a&q=b&q=c', 'near=1,1&near=2,2',
      'sort=start&sort=distance', 'perPage=1&perPage=100', `${'level=A1&'.repeat(100)}x=1`,
    ];
    for (const query of urls) {
      const res = await t.http.get(`/api/v1/courses?${query}`);
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect(res.body.error.code).toBe('invalid_query');
    }
  });
});
