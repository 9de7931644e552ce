// AWS credentials as a function gets them: resolved from profiles in a temporary
// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE by AWS's own providers (static keys,
// credential_process, an assume-role chain against a local STS stub), read by a real handler,
// refreshed before expiry into a warm environment, and never in a log or a file the engine writes.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialsResolver, type CredentialsChoice } from '../../src/provision/credentials';
import { codeRoot, fn, withEngine } from '../support/engine';

const HANDLER = {
  'app.js': `exports.handler = async () => ({
    id: process.env.AWS_ACCESS_KEY_ID ?? null,
    secret: process.env.AWS_SECRET_ACCESS_KEY ?? null,
    token: process.env.AWS_SESSION_TOKEN ?? null,
  });`,
};

/** An STS endpoint answering AssumeRole with fixed temporary credentials. */
async function stsStub(): Promise<{ url: string; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push(body);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMEDROLE01</AccessKeyId><SecretAccessKey>assumed-secret-value</SecretAccessKey>
<SessionToken>assumed-session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROATEST:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(() => r())) };
}

describe('AWS credentials', () => {
  const saved: Record<string, string | undefined> = {};
  const VARS = [
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL_STS',
  ];
  let dir: string;
  let sts: Awaited<ReturnType<typeof stsStub>>;

  before(async () => {
    sts = await stsStub();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-aws-'));
    fs.writeFileSync(
      path.join(dir, 'process.js'),
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESS0001', SecretAccessKey: 'process-secret-value', SessionToken: 'process-session-token', Expiration: new Date(Date.now() + 3600e3).toISOString() }));`,
    );
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        '[profile static]',
        'region = eu-west-1',
        '[profile proc]',
        `credential_process = ${process.execPath} ${path.join(dir, 'process.js')}`,
        '[profile assumed]',
        'role_arn = arn:aws:iam::123456789012:role/r',
        'source_profile = static',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[static]\naws_access_key_id = AKIASTATIC000001\naws_secret_access_key = static-secret-value\n',
    );
    for (const name of VARS) saved[name] = process.env[name];
    for (const name of VARS) delete process.env[name];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
  });
  after(async () => {
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await sts.close();
  });

  const got = async (choice: CredentialsChoice) => {
    const messages: string[] = [];
    const credentials = new CredentialsResolver(choice, { onMessage: (m) => messages.push(m) });
    const root = codeRoot(HANDLER);
    const result = await withEngine({ credentials }, ({ engine }) => engine.pool(fn(root, 'app.handler')).invoke('{}'));
    return { result: result.result as Record<string, string | null>, messages };
  };

  it('gives the handler a named profile’s static keys', async () => {
    const { result } = await got({ kind: 'aws', profile: 'static' });
    assert.deepEqual(result, { id: 'AKIASTATIC000001', secret: 'static-secret-value', token: null });
  });

  it('runs a profile’s credential_process', async () => {
    const { result } = await got({ kind: 'aws', profile: 'proc' });
    assert.deepEqual(result, { id: 'AKIAPROCESS0001', secret: 'process-secret-value', token: 'process-session-token' });
  });

  it('follows an assume-role chain through STS', async () => {
    const { result } = await got({ kind: 'aws', profile: 'assumed' });
    assert.deepEqual(result, {
      id: 'ASIAASSUMEDROLE01',
      secret: 'assumed-secret-value',
      token: 'assumed-session-token',
    });
    assert.ok(
      sts.calls.some((c) => /Action=AssumeRole/.test(c) && /RoleArn=arn%3Aaws%3Aiam/.test(c)),
      sts.calls.join(),
    );
  });

  it('uses the default chain (AWS_PROFILE) and gives none with "none"', async () => {
    process.env.AWS_PROFILE = 'static';
    try {
      assert.equal((await got({ kind: 'aws' })).result.id, 'AKIASTATIC000001');
      assert.deepEqual((await got({ kind: 'none' })).result, { id: null, secret: null, token: null });
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });

  it('says when a profile does not exist, and the function still runs without credentials', async () => {
    const { result, messages } = await got({ kind: 'aws', profile: 'missing' });
    assert.deepEqual(result, { id: null, secret: null, token: null });
    assert.equal(messages.length, 1);
    assert.match(messages[0], /AWS profile 'missing' does not exist in .*config or .*credentials/);
  });

  it('resolves an SSO profile from the token `aws sso login` cached, and says to log in again once it has expired', async () => {
    // The SSO portal's GetRoleCredentials, as the SDK's SSO client calls it.
    const calls: string[] = [];
    const portal = http.createServer((req, res) => {
      calls.push(`${req.url} ${String(req.headers['x-amz-sso_bearer_token'])}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          roleCredentials: {
            accessKeyId: 'ASIASSOROLE00001',
            secretAccessKey: 'sso-secret-value',
            sessionToken: 'sso-session-token',
            expiration: Date.now() + 3600e3,
          },
        }),
      );
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-sso-home-'));
    const savedHome = process.env.HOME;
    const config = fs.readFileSync(path.join(dir, 'config'), 'utf8');
    try {
      fs.appendFileSync(
        path.join(dir, 'config'),
        [
          '[profile work]',
          'sso_session = corp',
          'sso_account_id = 123456789012',
          'sso_role_name = Developer',
          'region = eu-west-1',
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = eu-west-1',
          '',
        ].join('\n'),
      );
      process.env.HOME = home;
      process.env.AWS_ENDPOINT_URL_SSO = `http://127.0.0.1:${(portal.address() as { port: number }).port}`;
      // What `aws sso login` leaves: the session's token under ~/.aws/sso/cache/<sha1 of its name>.json.
      const cache = path.join(home, '.aws', 'sso', 'cache');
      fs.mkdirSync(cache, { recursive: true });
      const tokenFile = path.join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`);
      const token = (expiresAt: string) =>
        fs.writeFileSync(
          tokenFile,
          JSON.stringify({
            startUrl: 'https://corp.awsapps.com/start',
            region: 'eu-west-1',
            accessToken: 'cached-sso-access-token',
            expiresAt,
          }),
        );
      token(new Date(Date.now() + 3600e3).toISOString());
      const { result } = await got({ kind: 'aws', profile: 'work' });
      assert.deepEqual(result, { id: 'ASIASSOROLE00001', secret: 'sso-secret-value', token: 'sso-session-token' });
      assert.match(calls[0], /^\/federation\/credentials\?.*account_id=123456789012.* cached-sso-access-token$/);

      token(new Date(Date.now() - 60e3).toISOString());
      const expired = await got({ kind: 'aws', profile: 'work' });
      assert.deepEqual(expired.result, { id: null, secret: null, token: null });
      assert.equal(expired.messages.length, 1, expired.messages.join('\n'));
      assert.match(
        expired.messages[0],
        /SSO session of AWS profile 'work' has expired: run `aws sso login --profile work`/,
      );
    } finally {
      fs.writeFileSync(path.join(dir, 'config'), config);
      if (savedHome === undefined) delete process.env.HOME;
      else process.env.HOME = savedHome;
      delete process.env.AWS_ENDPOINT_URL_SSO;
      fs.rmSync(home, { recursive: true, force: true });
      await new Promise<void>((resolve) => portal.close(() => resolve()));
    }
  });

  it('says to run aws sso login when an SSO session has expired', async () => {
    const resolver = new CredentialsResolver(
      { kind: 'aws', profile: 'work' },
      {
        onMessage: (m) => messages.push(m),
        provider: () =>
          Promise.reject(
            new Error(
              'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
            ),
          ),
      },
    );
    const messages: string[] = [];
    assert.deepEqual(await resolver.variables(), {});
    assert.match(messages[0], /run `aws sso login --profile work`/);
  });

  it('refreshes temporary credentials before they expire; a warm environment gets them at its next invoke, and no secret reaches a log, the module state or a file', async () => {
    let clock = Date.UTC(2030, 0, 1);
    let issued = 0;
    const credentials = new CredentialsResolver(
      { kind: 'aws', profile: 'rotating' },
      {
        now: () => clock,
        provider: () => {
          issued++;
          return Promise.resolve({
            accessKeyId: `ASIAROTATING000${issued}`,
            secretAccessKey: `rotating-secret-${issued}`,
            sessionToken: `rotating-token-${issued}`,
            expiration: new Date(clock + 15 * 60 * 1000),
          });
        },
      },
    );
    const root = codeRoot({
      'app.js': `const kept = { token: process.env.AWS_SESSION_TOKEN, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
exports.handler = async () => { console.log('keys', process.env.AWS_ACCESS_KEY_ID, Object.keys(kept)); return { id: process.env.AWS_ACCESS_KEY_ID, token: process.env.AWS_SESSION_TOKEN.slice(-1) }; };`,
    });
    await withEngine({ credentials, captureModuleState: true }, async ({ engine, events, base }) => {
      const pool = engine.pool(fn(root, 'app.handler'));
      const first = await pool.invoke('{}');
      assert.deepEqual(first.result, { id: 'ASIAROTATING0001', token: '1' });
      clock += 5 * 60 * 1000; // 10 minutes left: still good
      const second = await pool.invoke('{}');
      assert.equal(second.cold, false);
      assert.deepEqual(second.result, { id: 'ASIAROTATING0001', token: '1' });
      clock += 6 * 60 * 1000; // 4 minutes left: inside the refresh margin
      const third = await pool.invoke('{}');
      assert.equal(third.cold, false, 'the same warm environment');
      assert.equal(third.environmentId, first.environmentId);
      assert.deepEqual(third.result, { id: 'ASIAROTATING0002', token: '2' });
      assert.equal(issued, 2);

      // Secrets: in no engine event (logs, snapshots) and in no file under the engine's folders.
      const secrets = ['rotating-secret-1', 'rotating-secret-2', 'rotating-token-1', 'rotating-token-2'];
      const text = JSON.stringify(events);
      for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} in an engine event`);
      // The module state (state panel, Variables view) shows them masked.
      assert.ok(text.includes('\\"********\\"'), 'masked module state');
      const walk = (folder: string): string[] =>
        fs.readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
          const p = path.join(folder, e.name);
          return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
        });
      for (const file of walk(base)) {
        const content = fs.readFileSync(file, 'utf8');
        for (const secret of secrets) assert.ok(!content.includes(secret), `${secret} in ${file}`);
      }
    });
  });

  it('gives a custom runtime temporary credentials through the container credentials endpoint: the AWS SDK’s default chain reads them, and a warm environment gets fresh ones at its next invoke', async () => {
    let issued = 0;
    const credentials = new CredentialsResolver(
      { kind: 'aws', profile: 'rotating' },
      {
        // Four minutes left, inside the refresh margin: every invoke gets new ones.
        provider: () => {
          issued++;
          return Promise.resolve({
            accessKeyId: `ASIACUSTOM00000${issued}`,
            secretAccessKey: `custom-secret-${issued}`,
            sessionToken: `custom-token-${issued}`,
            expiration: new Date(Date.now() + 4 * 60 * 1000),
          });
        },
      },
    );
    const providers = JSON.stringify(require.resolve('@aws-sdk/credential-providers'));
    const root = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
const http = require('http');
const { fromNodeProviderChain } = require(${providers});
const api = process.env.AWS_LAMBDA_RUNTIME_API;
function call(method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject); req.end(body);
  });
}
(async () => {
  for (;;) {
    const next = await call('GET', 'http://' + api + '/2018-06-01/runtime/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const uri = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    const endpoint = await call('GET', uri, undefined, { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN });
    const wrongToken = await call('GET', uri, undefined, { Authorization: 'not-the-token' });
    // A client made now, as the SDK's own refresh (5 minutes before expiry, in the background) would.
    const sdk = await fromNodeProviderChain()();
    const result = {
      variables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].filter((n) => n in process.env),
      uri,
      // The secret stays in here (the result travels in engine events).
      endpoint: (({ SecretAccessKey, ...rest }) => ({ ...rest, secret: SecretAccessKey.replace(/\\d$/, 'N') }))(JSON.parse(endpoint.body)),
      wrongToken: wrongToken.status,
      sdk: { id: sdk.accessKeyId, token: sdk.sessionToken.slice(-1), expiresInS: Math.round((sdk.expiration - Date.now()) / 1000) },
    };
    await call('POST', 'http://' + api + '/2018-06-01/runtime/invocation/' + id + '/response', JSON.stringify(result));
  }
})();
`,
      },
      ['bootstrap'],
    );
    const nowhere = path.join(dir, 'none');
    const config = fn(root, 'function.handler', {
      runtime: 'provided.al2023',
      environment: { AWS_CONFIG_FILE: nowhere, AWS_SHARED_CREDENTIALS_FILE: nowhere },
    });
    type Seen = {
      variables: string[];
      uri: string;
      endpoint: Record<string, string>;
      wrongToken: number;
      sdk: { id: string; token: string; expiresInS: number };
    };
    await withEngine({ credentials }, async ({ engine, events }) => {
      const pool = engine.pool(config);
      const first = await pool.invoke('{}');
      assert.equal(first.status, 'success', JSON.stringify(first.error));
      const one = first.result as Seen;
      assert.deepEqual(one.variables, [], 'no credential variables beside the endpoint');
      assert.match(one.uri, /^http:\/\/127\.0\.0\.1:\d+\/2021-04-23\/credentials$/);
      assert.equal(one.endpoint.AccessKeyId, 'ASIACUSTOM000001');
      assert.equal(one.endpoint.Token, 'custom-token-1');
      assert.equal(one.endpoint.secret, 'custom-secret-N');
      assert.ok(Math.abs(Date.parse(one.endpoint.Expiration) - Date.now() - 240_000) < 60_000, one.endpoint.Expiration);
      assert.equal(one.wrongToken, 404);
      assert.deepEqual({ id: one.sdk.id, token: one.sdk.token }, { id: 'ASIACUSTOM000001', token: '1' });
      assert.ok(one.sdk.expiresInS > 120 && one.sdk.expiresInS <= 240, String(one.sdk.expiresInS));
      assert.match(first.initLogs ?? '', /custom runtime .* AWS_CONTAINER_CREDENTIALS_FULL_URI/);

      const second = await pool.invoke('{}');
      assert.equal(second.cold, false, 'the same warm environment');
      const two = second.result as Seen;
      assert.equal(two.endpoint.AccessKeyId, 'ASIACUSTOM000002');
      assert.deepEqual({ id: two.sdk.id, token: two.sdk.token }, { id: 'ASIACUSTOM000002', token: '2' });

      const text = JSON.stringify(events);
      for (const secret of ['custom-secret-1', 'custom-secret-2'])
        assert.ok(!text.includes(secret), `${secret} in an engine event`);
    });
  });

  it('gives a custom runtime a profile’s static keys as variables, as Lambda gives credentials', async () => {
    const root = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
(function next() {
  http.get('http://' + api + '/2018-06-01/runtime/invocation/next', (res) => {
    res.resume();
    const body = JSON.stringify({ id: process.env.AWS_ACCESS_KEY_ID, uri: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? null });
    const url = 'http://' + api + '/2018-06-01/runtime/invocation/' + res.headers['lambda-runtime-aws-request-id'] + '/response';
    http.request(url, { method: 'POST' }, (done) => { done.resume(); done.on('end', next); }).end(body);
  });
})();
`,
      },
      ['bootstrap'],
    );
    const credentials = new CredentialsResolver({ kind: 'aws', profile: 'static' });
    const result = await withEngine({ credentials }, ({ engine }) =>
      engine.pool(fn(root, 'function.handler', { runtime: 'provided.al2023' })).invoke('{}'),
    );
    assert.deepEqual(result.result, { id: 'AKIASTATIC000001', uri: null });
    assert.doesNotMatch(result.initLogs ?? '', /AWS_CONTAINER_CREDENTIALS_FULL_URI/);
  });
});
