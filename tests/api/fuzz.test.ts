import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { aCourse, aProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { ensureSchemathesis, findPython, type SchemathesisReport } from '../fuzz/schemathesis';

/**
 * The API as an outside integrator meets it: schemathesis generates requests from /api/v1/openapi.json (valid and
 * invalid ones) and checks that no answer is a 500, that every status code and every response body is the one the
 * description documents. Fixed seed and bounded effort, so a run is reproducible and stays well under three minutes on a busy 2-core machine.
 */
const SEED = '20261129';
const MAX_EXAMPLES = '15';
const CHECKS = 'not_a_server_error,status_code_conformance,response_schema_conformance';

const python = findPython();
if (!python) {
  console.warn('SKIPPED tests/api/fuzz.test.ts: python3 is missing, so schemathesis (PyPI) cannot be installed. Install python3 to run the API fuzz test.');
}
const describeWithPython = python ? describe : describe.skip;

describeWithPython('the API description holds under fuzzing (schemathesis)', () => {
  let t: TestApp;
  let server: Server;
  let baseUrl: string;
  let schemathesis: string;
  let work: string;
  let adminToken: string;
  let ids: string[];

  beforeAll(async () => {
    schemathesis = await ensureSchemathesis(python!, (line) => process.stdout.write(`\n${line}\n`));
    t = await createTestApp('fuzz');
    server = await new Promise<Server>((resolve) => {
      const listening = t.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Seeded through the API, as an integrator would: an admin's token, a provider, its user and a course.
    const http = request(baseUrl);
    adminToken = (await loginAs(t, 'admin')).token;
    const auth = { Authorization: `Bearer ${adminToken}` };
    const provider = await http.post('/api/v1/providers').set(auth).send({ ...aProvider(), verified: true });
    expect(provider.status).toBe(201);
    const user = await http.post('/api/v1/users').set(auth).send({ email: 'fuzz-provider@test.example', password: 'correct horse battery', role: 'provider', providerId: provider.body.id });
    expect(user.status).toBe(201);
    const course = await http.post('/api/v1/courses').set(auth).send({ ...aCourse(), providerId: provider.body.id });
    expect(course.status).toBe(201);
    await t.settle();
    ids = [course.body.id, provider.body.id];
    work = mkdtempSync(path.join(tmpdir(), 'skf-fuzz-'));
  }, 600_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers every generated request as documented: no 500, documented status codes, valid response bodies', async () => {
    // Half of the generated `{id}`s are the seeded course and provider, so the operations behind them are reached.
    const config = path.join(work, 'schemathesis.toml');
    writeFileSync(config, [`[dictionaries.seeded]`, `values = ${JSON.stringify(ids)}`, `[parameters]`, `"path.id" = { dictionary = "seeded", probability = 0.5 }`, ''].join('\n'));
    const args = [
      '--config-file', config,
      'run', `${baseUrl}/api/v1/openapi.json`,
      '--url', baseUrl,
      '-H', `Authorization: Bearer ${adminToken}`,
      '--checks', CHECKS,
      // It would revoke the token the run uses.
      '--exclude-name', 'DELETE /api/v1/auth/token',
      '--max-examples', MAX_EXAMPLES,
      '--seed', SEED,
      '--workers', '1',
      '--output-truncate', 'false',
      '--report', 'json',
      '--report-json-path', path.join(work, 'report.json'),
    ];
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      // cwd: the run's own directory, so hypothesis keeps no example database between runs (reproducible) in the project.
      execFile(schemathesis, args, { cwd: work, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
    const report = JSON.parse(readFileSync(path.join(work, 'report.json'), 'utf8')) as SchemathesisReport;
    const failed = `schemathesis (exit ${code}):\n${output}`;
    // Failures are the app's: a 500, an undocumented status, a body that breaks its schema.
    if (report.failures.length > 0) throw new Error(`the API and its description disagree; ${failed}`);
    // Errors inside the fuzzer itself (e.g. a KeyError in hypothesis) are not the app's fault: reported, not failed.
    if (report.errors.length > 0) console.warn(`schemathesis had internal errors (not the app's): ${JSON.stringify(report.errors)}\n${output}`);
    // Never a vacuous pass: every selected operation was tested, with a real number of requests.
    expect({ complete: report.complete, untested: report.operations.selected - report.operations.tested - report.operations.errored }).toEqual({ complete: true, untested: 0 });
    expect(report.operations.selected).toBeGreaterThanOrEqual(12);
    // The issue allows for an internal error of the fuzzer on one operation; more would leave the API largely untested.
    expect(report.operations.errored).toBeLessThanOrEqual(1);
    expect(report.test_cases.generated).toBeGreaterThan(500);
    if (report.errors.length === 0 && code !== 0) throw new Error(`schemathesis failed without reporting a failure; ${failed}`);
  }, 600_000);
});
