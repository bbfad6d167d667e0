import { CfnValue, isIntrinsic } from './cfn-values';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'x-amazon-apigateway-any-method'];

/** One operation of an OpenAPI body that no authentication protects: `GET /users/{id}`. */
export type OpenOperation = string;

/**
 * The operations of an OpenAPI (2 or 3) definition that require no authentication: no
 * `x-amazon-apigateway-auth` of AWS_IAM, and no security requirement (the operation's own, else the
 * document's) naming a scheme that authenticates (a Lambda or Cognito authorizer, AWS_IAM or an
 * OpenID/OAuth scheme). An API key alone is not authentication. OPTIONS (CORS preflight) is exempt.
 * Returns undefined when a part that decides is an intrinsic (not known at synth).
 */
export function unauthenticatedOperations(body: CfnValue): OpenOperation[] | undefined {
  if (body === null || typeof body !== 'object' || isIntrinsic(body)) return undefined;
  const schemes: Record<string, CfnValue> = { ...(body.securityDefinitions ?? {}), ...(body.components?.securitySchemes ?? {}) };
  const authenticates = (name: string): boolean => {
    const s = schemes[name];
    if (s === undefined || s === null || typeof s !== 'object') return false;
    if (s['x-amazon-apigateway-authorizer'] !== undefined) return true;
    const authType = String(s['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
    if (authType === 'awssigv4' || authType === 'cognito_user_pools' || authType === 'custom') return true;
    return ['oauth2', 'openIdConnect'].includes(s.type);
  };
  const required = (security: CfnValue): boolean => Array.isArray(security)
    && security.length > 0
    && security.every((req) => req && typeof req === 'object' && Object.keys(req).length > 0 && Object.keys(req).some(authenticates));
  const open: OpenOperation[] = [];
  const paths = body.paths;
  if (paths === undefined) return [];
  if (isIntrinsic(paths)) return undefined;
  for (const [path, item] of Object.entries(paths as Record<string, CfnValue>)) {
    if (!item || typeof item !== 'object' || isIntrinsic(item)) return undefined;
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      if (String(op['x-amazon-apigateway-auth']?.type ?? '').toUpperCase() === 'AWS_IAM') continue;
      const security = op.security ?? body.security;
      if (isIntrinsic(security)) return undefined;
      if (!required(security)) open.push(`${method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase()} ${path}`);
    }
  }
  return open;
}
