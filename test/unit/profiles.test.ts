// The machine's AWS profiles as the sidebar's picker lists them, and a profile's region, read
// from a temporary AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE by AWS's own loader.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listProfiles, profileEndpoints, profileRegion } from '../../src/provision/profiles';
import { endpointVariables } from '../../src/provision/awsAccess';

describe('AWS profiles', () => {
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-profiles-'));
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        '[default]',
        'region = eu-central-1',
        '[profile work]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Dev',
        'region = eu-west-1',
        '[profile deploy]',
        'role_arn = arn:aws:iam::123456789012:role/deploy',
        'source_profile = keys',
        '[profile tool]',
        'credential_process = /usr/local/bin/creds',
        '[profile local]',
        'endpoint_url = http://localhost:4566',
        'services = local-stack',
        '[services local-stack]',
        'dynamodb =',
        '  endpoint_url = http://localhost:8000',
        '  other_setting = x',
        'sqs =',
        '  endpoint_url = http://localhost:9324',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[keys]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n',
    );
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  });
  after(() => {
    for (const [name, value] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the profiles of both files with how each gets credentials, and never a secret', async () => {
    const profiles = await listProfiles();
    assert.deepEqual(profiles, [
      { name: 'default', kind: 'other', region: 'eu-central-1' },
      { name: 'deploy', kind: 'assume role' },
      { name: 'keys', kind: 'keys' },
      { name: 'local', kind: 'other' },
      { name: 'tool', kind: 'credential_process' },
      { name: 'work', kind: 'sso', region: 'eu-west-1' },
    ]);
  });

  it('gives a profile’s region (the default profile’s when none is named)', async () => {
    assert.equal(await profileRegion('work'), 'eu-west-1');
    assert.equal(await profileRegion(undefined), 'eu-central-1');
    assert.equal(await profileRegion('tool'), undefined);
  });

  it('gives a profile’s endpoint_url and its services section’s endpoints as the SDK’s variables', async () => {
    assert.deepEqual(await profileEndpoints('local'), {
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000',
      AWS_ENDPOINT_URL_SQS: 'http://localhost:9324',
    });
    assert.deepEqual(await profileEndpoints('work'), {});
    assert.deepEqual(await profileEndpoints('missing'), {});
  });

  it('puts the host’s endpoint variables over the profile’s, and none of the profile’s when the host ignores them', async () => {
    const host = { AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1', PATH: '/bin' };
    assert.deepEqual(await endpointVariables('local', host), {
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
    });
    assert.deepEqual(await endpointVariables('local', { ...host, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), {
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
    });
  });
});
