// Unit tests of the configuration readers and Lambda's validation rules.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { parseSamTemplate } from '../../src/config/sam';
import { parseServerlessConfig } from '../../src/config/serverless';
import { findFunction, readFunctions } from '../../src/config';
import { ConfigError, validateFunctionConfig, withDefaults } from '../../src/config/functionConfig';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: prod }
Globals:
  Function:
    Runtime: nodejs20.x
    MemorySize: 512
    Environment:
      Variables: { SHARED: one, STAGE: !Ref Stage }
Resources:
  Table: { Type: AWS::DynamoDB::Table }
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layers/deps }
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: api/
      Handler: src/app.handler
      Timeout: 7
      EphemeralStorage: { Size: 1024 }
      Layers: [!Ref Deps]
      Environment:
        Variables:
          TABLE: !Ref Table
          ARN: !GetAtt Table.Arn
          URL: !Sub 'https://\${AWS::Region}.example/\${Stage}'
          SHARED: own
  Image:
    Type: AWS::Serverless::Function
    Properties: { PackageType: Image }
`;

describe('SAM templates', () => {
  it('reads functions with Globals merged, tags resolved where possible and layers as folders', () => {
    const { functions, warnings } = parseSamTemplate(TEMPLATE, '/work/app/template.yaml');
    assert.equal(functions.length, 1);
    const c = functions[0].config;
    assert.equal(c.name, 'Api');
    assert.equal(c.root, '/work/app/api');
    assert.equal(c.handler, 'src/app.handler');
    assert.equal(c.runtime, 'nodejs20.x');
    assert.equal(c.memorySizeMB, 512);
    assert.equal(c.timeoutSeconds, 7);
    assert.equal(c.ephemeralStorageMB, 1024);
    assert.deepEqual(c.layers, ['/work/app/layers/deps']);
    assert.equal(c.environment.SHARED, 'own');
    assert.equal(c.environment.STAGE, 'prod');
    assert.equal(c.environment.URL, 'https://us-east-1.example/prod');
    // sam local renders every `.Arn` as a Lambda function ARN named after the resource.
    assert.equal(c.environment.ARN, 'arn:aws:lambda:us-east-1:123456789012:function:Table');
    assert.equal(c.environment.TABLE, 'Table');
    assert.ok(warnings.some((w) => /Image/.test(w) && /skipped/.test(w)));
  });

  it('reads ReservedConcurrentExecutions (own over Globals) and AutoPublishAlias (version 1); refuses bad ones', () => {
    const { functions } = parseSamTemplate(
      `
Parameters:
  Alias: { Type: String, Default: live }
Globals:
  Function: { Runtime: nodejs20.x, Handler: app.h, ReservedConcurrentExecutions: 3, AutoPublishAlias: !Ref Alias }
Resources:
  A: { Type: AWS::Serverless::Function }
  B: { Type: AWS::Serverless::Function, Properties: { ReservedConcurrentExecutions: 0, AutoPublishAlias: prod } }
  C: { Type: AWS::Lambda::Function, Properties: { Handler: app.h, Runtime: nodejs20.x } }
  D: { Type: AWS::Serverless::Function, Properties: { ReservedConcurrentExecutions: -1, AutoPublishAlias: '12' } }
`,
      '/work/app/template.yaml',
    );
    const [a, b, c, d] = functions;
    assert.equal(a.config.reservedConcurrency, 3);
    assert.deepEqual(a.config.aliases, { live: '1' });
    assert.equal(a.config.autoPublishAlias, 'live');
    assert.equal(b.config.reservedConcurrency, 0);
    assert.deepEqual(b.config.aliases, { prod: '1' });
    assert.equal(c.config.aliases, undefined, 'AutoPublishAlias is a SAM property');
    assert.match(d.invalid ?? '', /ReservedConcurrentExecutions must be a whole number/);
    assert.match(d.invalid ?? '', /AutoPublishAlias: '12' is not an alias name/);
  });

  it('reads AWS::Lambda::Version and AWS::Lambda::Alias resources of a function', () => {
    const { functions } = parseSamTemplate(
      `
Resources:
  Fn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: app.h } }
  V1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn } }
  V2: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn } }
  Prod: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, Name: prod, FunctionVersion: !GetAtt V1.Version } }
  Edge: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, Name: edge, FunctionVersion: $LATEST } }
`,
      '/work/app/template.yaml',
    );
    const c = functions[0].config;
    assert.deepEqual(c.versions, ['1', '2']);
    assert.deepEqual(c.aliases, { prod: '1', edge: '$LATEST' });
    assert.equal(c.autoPublishAlias, undefined, 'its events call the function itself');
  });

  it('says where a template does not parse', () => {
    assert.throws(
      () => parseSamTemplate('Resources:\n  A: [unclosed\n', '/x/template.yaml'),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /^\/x\/template\.yaml:\d+:\d+: /);
        return true;
      },
    );
  });

  it('refuses an unknown runtime and out-of-range values, naming the function, and only that function', () => {
    const bad = (props: string) =>
      parseSamTemplate(
        `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b, ${props} }\n` +
          `  G:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b }\n`,
        't/template.yaml',
      );
    assert.throws(
      () => findFunction(bad('Runtime: nodejs8.10'), 'F'),
      /function F: Runtime: Unknown runtime 'nodejs8.10'/,
    );
    assert.throws(
      () => findFunction(bad('MemorySize: 64'), 'F'),
      /function F: .*Memory size must be a whole number from 128 to 10240/,
    );
    assert.throws(() => findFunction(bad('Timeout: 901'), 'F'), /function F: .*Timeout must be/);
    assert.equal(findFunction(bad('MemorySize: 64'), 'G').config.name, 'G');
  });

  it('finds the examples and reports missing functions with the names available', () => {
    const result = readFunctions(path.join(__dirname, '../../examples/template.yaml'));
    assert.deepEqual(result.functions.map((f) => f.config.name).sort(), [
      'GreeterFunction',
      'OrdersFunction',
      'ReportFunction',
    ]);
    assert.equal(findFunction(result, 'OrdersFunction').config.environment.TABLE_NAME, 'orders-dev');
    assert.throws(() => findFunction(result, 'Nope'), /No function 'Nope'.*GreeterFunction/);
  });
});

describe('serverless.yml', () => {
  it('reads provider defaults, functions and simple variables', () => {
    const { functions } = parseServerlessConfig(
      `service: shop
provider:
  name: aws
  runtime: nodejs22.x
  stage: \${opt:stage, 'dev'}
  memorySize: 256
  environment:
    STAGE: \${sls:stage}
    FROM_ENV: \${env:HOME_X, 'fallback'}
functions:
  checkout:
    handler: src/checkout.handler
    timeout: 12
    reservedConcurrency: 5
    environment:
      QUEUE: \${self:service}-queue
`,
      '/p/serverless.yml',
    );
    const c = functions[0].config;
    assert.equal(c.name, 'shop-dev-checkout');
    assert.equal(c.root, '/p');
    assert.equal(c.memorySizeMB, 256);
    assert.equal(c.timeoutSeconds, 12);
    assert.equal(c.reservedConcurrency, 5);
    assert.deepEqual(c.environment, { STAGE: 'dev', FROM_ENV: 'fallback', QUEUE: 'shop-queue' });
  });
});

describe('Lambda validation', () => {
  const base = withDefaults({ root: '/r', handler: 'index.handler' });
  it('refuses reserved variables and more than 4 KB of variables', () => {
    assert.throws(
      () => validateFunctionConfig({ ...base, environment: { AWS_REGION: 'x' } }),
      /AWS_REGION is reserved: Lambda sets it itself/,
    );
    assert.throws(() => validateFunctionConfig({ ...base, environment: { BIG: 'x'.repeat(4100) } }), /4 KB/);
  });
  it("refuses handler strings with '..' as Lambda does", () => {
    assert.throws(() => validateFunctionConfig({ ...base, handler: '../up.handler' }), /is not a valid handler name/);
  });
  it('accepts Lambda defaults', () => {
    assert.doesNotThrow(() => validateFunctionConfig(base));
    assert.equal(base.memorySizeMB, 128);
    assert.equal(base.timeoutSeconds, 3);
    assert.equal(base.ephemeralStorageMB, 512);
  });
});
