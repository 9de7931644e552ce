// Template values as `sam local` gives them: every intrinsic on fixture templates, parameter
// overrides, env files in SAM's form, LoggingConfig and Architectures from Globals.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSamTemplate } from '../../src/config/sam';
import { findFunction } from '../../src/config';
import { resolveFunction, CLI_NAMES } from '../../src/config/resolve';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  Owner: { Type: String }
  Sizes: { Type: CommaDelimitedList, Default: "128,256,512" }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsNotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsNotProd, !Or [!Equals [a, b], !Equals [c, c]]]
Mappings:
  StageSettings:
    dev: { Level: debug }
    prod: { Level: warn }
Globals:
  Function:
    Runtime: nodejs22.x
    Architectures: [arm64]
    LoggingConfig: { LogFormat: JSON, ApplicationLogLevel: DEBUG }
Resources:
  SampleTable: { Type: AWS::Serverless::SimpleTable }
  Bucket: { Type: AWS::S3::Bucket }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      MemorySize: !If [IsProd, 1024, 256]
      Environment:
        Variables:
          TABLE: !Ref SampleTable
          STAGE: !Ref Stage
          REGION: !Ref AWS::Region
          ACCOUNT: !Ref AWS::AccountId
          STACK: !Ref AWS::StackName
          PARTITION: !Ref AWS::Partition
          SUB: !Sub 'arn:\${AWS::Partition}:s3:::\${Bucket}-\${Stage}'
          SUB_MAP: !Sub ['\${Name}-\${AWS::Region}-\${!Literal}', { Name: !Ref SampleTable }]
          SUB_ATT: !Sub '\${Other.Arn}'
          JOINED: !Join ['-', [a, !Ref Stage, c]]
          SELECTED: !Select [1, !Ref Sizes]
          SPLIT: !Select [2, !Split [',', 'x,y,z']]
          IF: !If [IsProd, live, test]
          BOTH: !If [Both, yes, no]
          LEVEL: !FindInMap [StageSettings, !Ref Stage, Level]
          ARN: !GetAtt Other.Arn
          STREAM: !GetAtt SampleTable.StreamArn
          IMPORTED: !ImportValue shared-vpc
          OWNER: !Ref Owner
  Other:
    Type: AWS::Serverless::Function
    Properties: { Handler: other.handler, FunctionName: other-fn, MemorySize: 64 }
`;

describe('template values as sam local gives them', () => {
  const read = (overrides?: Record<string, string>) =>
    parseSamTemplate(TEMPLATE, '/work/app/template.yaml', { parameterOverrides: overrides });

  it('resolves Ref, pseudo parameters, Sub, Join, Select, Split, If, Conditions, FindInMap and GetAtt', () => {
    const { functions } = read();
    const env = findFunction({ functions, warnings: [] }, 'Fn').config.environment;
    assert.equal(env.TABLE, 'SampleTable');
    assert.equal(env.STAGE, 'dev');
    assert.equal(env.REGION, 'us-east-1');
    assert.equal(env.ACCOUNT, '123456789012');
    assert.equal(env.STACK, 'local');
    assert.equal(env.PARTITION, 'aws');
    assert.equal(env.SUB, 'arn:aws:s3:::Bucket-dev');
    assert.equal(env.SUB_MAP, 'SampleTable-us-east-1-${Literal}');
    assert.equal(env.SUB_ATT, 'arn:aws:lambda:us-east-1:123456789012:function:other-fn');
    assert.equal(env.JOINED, 'a-dev-c');
    assert.equal(env.SELECTED, '256');
    assert.equal(env.SPLIT, 'z');
    assert.equal(env.IF, 'test');
    assert.equal(env.BOTH, 'yes');
    assert.equal(env.LEVEL, 'debug');
    assert.equal(env.ARN, 'arn:aws:lambda:us-east-1:123456789012:function:other-fn');
  });

  it('leaves what cannot be known locally empty, with a warning naming the variable and the env file fix', () => {
    const { functions, warnings } = read();
    const env = findFunction({ functions, warnings }, 'Fn').config.environment;
    for (const name of ['STREAM', 'IMPORTED', 'OWNER']) {
      assert.equal(env[name], '', name);
      const warning = warnings.find((w) => w.includes(`variable ${name} `));
      assert.ok(warning, `a warning for ${name}: ${warnings.join('\n')}`);
      assert.match(warning, /function Fn/);
      assert.match(warning, new RegExp(`\\{"Fn": \\{"${name}": "\\.\\.\\."\\}\\}`));
    }
    assert.match(
      warnings.find((w) => w.includes('IMPORTED'))!,
      /ImportValue "shared-vpc".*another stack's export/,
    );
    assert.match(
      warnings.find((w) => w.includes('OWNER'))!,
      /parameter Owner has no Default/,
    );
  });

  it('takes parameter overrides (conditions, mappings and pseudo parameters follow)', () => {
    const { functions } = read({ Stage: 'prod', Owner: 'me', 'AWS::Region': 'cn-north-1' });
    const config = findFunction({ functions, warnings: [] }, 'Fn').config;
    assert.equal(config.memorySizeMB, 1024);
    assert.equal(config.environment.IF, 'live');
    assert.equal(config.environment.LEVEL, 'warn');
    assert.equal(config.environment.OWNER, 'me');
    assert.equal(config.environment.PARTITION, 'aws-cn');
    assert.equal(config.environment.ARN, 'arn:aws-cn:lambda:cn-north-1:123456789012:function:other-fn');
  });

  it('reads LoggingConfig and Architectures from Globals', () => {
    const config = findFunction(read(), 'Fn').config;
    assert.deepEqual(config.logging, { format: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: undefined });
    assert.equal(config.architecture, 'arm64');
  });

  it('an invalid function names itself and the field; the template’s other functions still run', () => {
    const result = read();
    assert.throws(() => findFunction(result, 'Other'), /template\.yaml, function Other: .*Memory size/);
    assert.equal(findFunction(result, 'Fn').config.name, 'Fn');
  });

  it('an env file in SAM’s form overrides as sam local --env-vars does, and parameter overrides reach the CLI’s resolution', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llb-intrinsics-'));
    try {
      fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
      fs.writeFileSync(
        path.join(dir, 'env.json'),
        JSON.stringify({ Parameters: { STREAM: 'shared', IF: 'from-parameters' }, Fn: { STREAM: 'own' } }),
      );
      const config = resolveFunction(
        {
          template: 'template.yaml',
          function: 'Fn',
          envFile: 'env.json',
          parameterOverrides: { Stage: 'prod' },
          logFormat: 'Text',
        },
        dir,
        CLI_NAMES,
      );
      assert.equal(config.environment.STREAM, 'own');
      assert.equal(config.environment.IF, 'from-parameters');
      assert.equal(config.environment.LEVEL, 'warn');
      assert.deepEqual(config.logging, { format: 'Text', applicationLogLevel: undefined, systemLogLevel: undefined });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
