// Resolves CloudFormation intrinsic functions in a SAM template's values as `sam local`
// does: parameters (defaults or overrides), pseudo parameters with sam local's defaults,
// a resource's logical id for `Ref`, a Lambda-style ARN for `!GetAtt X.Arn`, and `!Sub`,
// `!Join`, `!Select`, `!Split`, `!If` with `Conditions`, `!FindInMap` with `Mappings`.
// What cannot be known locally (`Fn::ImportValue`, other attributes) is reported, never guessed.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values sam local uses for pseudo parameters when none is given. */
export const PSEUDO_DEFAULTS: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::StackName': 'local',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/local/51af3dc0-da77-11e4-872e-1234567db123',
  'AWS::URLSuffix': 'localhost',
};

export interface TemplateScope {
  parameters: Obj;
  resources: Obj;
  conditions: Obj;
  mappings: Obj;
  /** Parameter values given by the user (`--parameter-overrides`, `parameterOverrides`); pseudo
   * parameters such as `AWS::Region` may be given here too. */
  overrides: Record<string, string>;
}

export function templateScope(template: Obj, overrides: Record<string, string> = {}): TemplateScope {
  const section = (key: string): Obj => (isObj(template[key]) ? template[key] : {});
  return {
    parameters: section('Parameters'),
    resources: section('Resources'),
    conditions: section('Conditions'),
    mappings: section('Mappings'),
    overrides,
  };
}

/** Thrown inside the resolver when a value cannot be known locally; `reason` says why. */
class Unresolvable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type Resolution =
  { ok: true; value: unknown; origins: string[] } | { ok: false; reason: string; origins: string[] };

/** Resolves `value` in `scope`; origins list where each part came from (for hovers). */
export function resolveIntrinsics(value: unknown, scope: TemplateScope): Resolution {
  const origins: string[] = [];
  try {
    return { ok: true, value: new Resolver(scope, origins).value(value), origins };
  } catch (error) {
    if (error instanceof Unresolvable) return { ok: false, reason: error.reason, origins };
    throw error;
  }
}

/** How a function's variable is written, e.g. `!GetAtt Table.StreamArn`, for messages. */
export function describeIntrinsic(value: unknown): string {
  if (!isObj(value)) return JSON.stringify(value);
  const [key, arg] = Object.entries(value)[0] ?? ['?', ''];
  const shown = Array.isArray(arg) ? (key === 'Fn::GetAtt' ? arg.join('.') : JSON.stringify(arg)) : String(arg);
  return `!${key.replace('Fn::', '')} ${shown}`;
}

class Resolver {
  constructor(
    private readonly scope: TemplateScope,
    private readonly origins: string[],
  ) {}

  value(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((item) => this.value(item));
    if (!isObj(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return Object.fromEntries(keys.map((k) => [k, this.value(v[k])]));
    const [key] = keys;
    const arg = v[key];
    switch (key) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt':
        return this.getAtt(arg);
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Join':
        return this.join(arg);
      case 'Fn::Select':
        return this.select(arg);
      case 'Fn::Split':
        return this.split(arg);
      case 'Fn::If':
        return this.if(arg);
      case 'Fn::FindInMap':
        return this.findInMap(arg);
      case 'Fn::Base64':
        return Buffer.from(String(this.value(arg))).toString('base64');
      case 'Fn::ImportValue':
        throw new Unresolvable(
          `Fn::ImportValue ${JSON.stringify(this.value(arg))} reads another stack's export, which is not known locally`,
        );
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
      case 'Condition':
        return this.condition(v);
      default:
        if (key.startsWith('Fn::')) throw new Unresolvable(`${key} is not resolved locally`);
        return { [key]: this.value(arg) };
    }
  }

  ref(name: string): unknown {
    const parameter = this.scope.parameters[name];
    const type = isObj(parameter) ? String(parameter.Type ?? '') : '';
    // A list parameter's Ref is a list; its value is written comma-separated.
    const typed = (v: unknown) =>
      (type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof v === 'string'
        ? v.split(',').map((item) => item.trim())
        : v;
    if (name in this.scope.overrides) {
      this.origins.push(`parameter ${name} (override)`);
      return typed(this.scope.overrides[name]);
    }
    if (name === 'AWS::NoValue') return undefined;
    if (name === 'AWS::Partition') return this.partition();
    if (name in PSEUDO_DEFAULTS) {
      this.origins.push(`${name} (sam local's default)`);
      if (name === 'AWS::Region') return this.region();
      return PSEUDO_DEFAULTS[name];
    }
    if (name === 'AWS::NotificationARNs') return [];
    if (isObj(parameter)) {
      if (parameter.Default === undefined)
        throw new Unresolvable(`parameter ${name} has no Default and no override was given`);
      this.origins.push(`parameter ${name} (Default)`);
      return typed(parameter.Default);
    }
    if (name in this.scope.resources) {
      this.origins.push(`resource ${name} (its logical id, as sam local gives)`);
      return name;
    }
    throw new Unresolvable(`Ref ${name} names no parameter or resource of the template`);
  }

  private region(): string {
    return this.scope.overrides['AWS::Region'] ?? PSEUDO_DEFAULTS['AWS::Region'];
  }

  private partition(): string {
    const region = this.region();
    return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov') ? 'aws-us-gov' : 'aws';
  }

  getAtt(arg: unknown): unknown {
    const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : (arg as unknown[])).map((p) =>
      String(this.value(p)),
    );
    if (attribute === 'Arn') {
      // sam local renders every `.Arn` as a Lambda function ARN named after the resource.
      const resource = this.scope.resources[id];
      const props = isObj(resource) && isObj(resource.Properties) ? resource.Properties : {};
      const name = typeof props.FunctionName === 'string' ? props.FunctionName : id;
      this.origins.push(`!GetAtt ${id}.Arn (a local ARN, as sam local gives)`);
      const account = this.scope.overrides['AWS::AccountId'] ?? PSEUDO_DEFAULTS['AWS::AccountId'];
      return `arn:${this.partition()}:lambda:${this.region()}:${account}:function:${name}`;
    }
    throw new Unresolvable(`!GetAtt ${id}.${attribute} is only known once the stack is deployed`);
  }

  sub(arg: unknown): string {
    const [template, variables] = Array.isArray(arg) ? [arg[0], isObj(arg[1]) ? arg[1] : {}] : [arg, {}];
    if (typeof template !== 'string') throw new Unresolvable('Fn::Sub needs a string');
    return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) return String(this.value(variables[name]));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return String(this.getAtt([name.slice(0, dot), name.slice(dot + 1)]));
      return String(this.ref(name));
    });
  }

  join(arg: unknown): string {
    if (!Array.isArray(arg)) throw new Unresolvable('Fn::Join needs [separator, list]');
    const parts = this.value(arg[1]);
    if (!Array.isArray(parts)) throw new Unresolvable('Fn::Join needs a list');
    return parts.filter((p) => p !== undefined).join(String(arg[0]));
  }

  select(arg: unknown): unknown {
    if (!Array.isArray(arg)) throw new Unresolvable('Fn::Select needs [index, list]');
    const index = Number(this.value(arg[0]));
    const list = this.value(arg[1]);
    if (!Array.isArray(list) || !(index >= 0 && index < list.length))
      throw new Unresolvable(`Fn::Select index ${index} is outside the list`);
    return list[index];
  }

  split(arg: unknown): string[] {
    if (!Array.isArray(arg)) throw new Unresolvable('Fn::Split needs [delimiter, string]');
    return String(this.value(arg[1])).split(String(arg[0]));
  }

  if(arg: unknown): unknown {
    if (!Array.isArray(arg) || arg.length !== 3) throw new Unresolvable('Fn::If needs [condition, then, else]');
    return this.value(this.namedCondition(String(arg[0])) ? arg[1] : arg[2]);
  }

  private namedCondition(name: string): boolean {
    if (!(name in this.scope.conditions)) throw new Unresolvable(`condition ${name} is not in Conditions`);
    this.origins.push(`condition ${name}`);
    return this.condition(this.scope.conditions[name]);
  }

  condition(v: unknown): boolean {
    if (typeof v === 'boolean') return v;
    if (!isObj(v)) throw new Unresolvable(`${JSON.stringify(v)} is not a condition`);
    const list = (key: string) => {
      const items = v[key];
      if (!Array.isArray(items)) throw new Unresolvable(`${key} needs a list`);
      return items;
    };
    if ('Condition' in v) return this.namedCondition(String(v.Condition));
    if ('Fn::Equals' in v) {
      const [a, b] = list('Fn::Equals').map((x) => this.value(x));
      return String(a) === String(b);
    }
    if ('Fn::And' in v) return list('Fn::And').every((c) => this.condition(c));
    if ('Fn::Or' in v) return list('Fn::Or').some((c) => this.condition(c));
    if ('Fn::Not' in v) return !this.condition(list('Fn::Not')[0]);
    throw new Unresolvable(`${describeIntrinsic(v)} is not a condition`);
  }

  findInMap(arg: unknown): unknown {
    if (!Array.isArray(arg) || arg.length < 3) throw new Unresolvable('Fn::FindInMap needs [map, key, key]');
    const [map, top, second] = arg.slice(0, 3).map((p) => String(this.value(p)));
    const found = (this.scope.mappings[map] as Obj | undefined)?.[top];
    const value = isObj(found) ? found[second] : undefined;
    if (value === undefined) {
      if (isObj(arg[3]) && 'DefaultValue' in arg[3]) return this.value(arg[3].DefaultValue);
      throw new Unresolvable(`Mappings has no ${map}.${top}.${second}`);
    }
    this.origins.push(`Mappings ${map}.${top}.${second}`);
    return value;
  }
}
