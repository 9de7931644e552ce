// The function a Lambda Invoke API call names: a name, an ARN or a partial ARN, each with an
// optional `:qualifier` (or the `Qualifier` query parameter): $LATEST, a version or an alias
// (servedFunctions.ts says which exist).

export interface FunctionReference {
  name: string;
  qualifier: string | null;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$/;
const PARTIAL_ARN = /^\d{12}:function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$/;
const NAME = /^([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$/;

/** Parses the FunctionName path parameter; null when it is not a valid name in any form. */
export function parseFunctionReference(text: string, queryQualifier: string | null = null): FunctionReference | null {
  const match = FULL_ARN.exec(text) ?? PARTIAL_ARN.exec(text) ?? NAME.exec(text);
  if (!match) return null;
  return { name: match[1], qualifier: match[2] ?? queryQualifier };
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string | null): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
