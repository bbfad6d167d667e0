import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * The request contract of DsrApi, shared by the JSON-schema model, the mapping templates and the
 * tests. The tenant never comes from the body: it is the caller's (path segment bound to the
 * caller's `tenant` principal tag by the resource policy, or the Cognito token's tenant claim).
 *
 * Execution names are `<tenant>_<requestId>`: Step Functions allows at most 80 characters and
 * logs executions to CloudWatch Logs only when the name is `[0-9A-Za-z_-]`. A tenant has no `_`,
 * so the first `_` separates the two parts unambiguously (no tenant can name another's request).
 */
export const REQUEST_TYPES = ['ACCESS', 'DELETE', 'CORRECT', 'OPT_OUT', 'LIMIT'];
/** Tenant ids the API accepts: no `_` (the execution name separator) and no `.` (CloudWatch Logs). */
export const TENANT_PATTERN = '^[A-Za-z0-9-]{1,30}$';
/** Request ids: the DsrWorkflow's idempotency key (`[A-Za-z0-9_-]`), short enough for the execution name. */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9_-]{1,48}$';
/** The subject identifier: what DsrWorkflow's Intake accepts (no `/` for S3 prefixes, no `#` for composite keys). */
export const SUBJECT_PATTERN = '^[A-Za-z0-9._@+=:-]{1,256}$';
/** An ISO 8601 UTC time (the DsrWorkflow checks it is not in the future). */
export const RECEIVED_AT_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$';
/** Attribute names a CORRECT request may change. */
export const ATTRIBUTE_PATTERN = '^[A-Za-z0-9_.-]{1,255}$';
/** At most this many corrections in one request, each value at most MAX_VALUE_LENGTH characters. */
export const MAX_CORRECTIONS = 50;
export const MAX_VALUE_LENGTH = 1024;

/**
 * The JSON schema (draft 4, the dialect API Gateway validates) of a submitted request.
 * `corrections` is required with CORRECT and refused with every other type.
 */
export function submitRequestSchema(): apigw.JsonSchema {
  const correctionValue: apigw.JsonSchema = {
    type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NUMBER, apigw.JsonSchemaType.BOOLEAN, apigw.JsonSchemaType.NULL],
    maxLength: MAX_VALUE_LENGTH,
  };
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'DsrSubmitRequest',
    description: 'A data subject request (Cal. Civ. Code 1798.100-.121). The tenant is the caller\'s, never the body\'s.',
    type: apigw.JsonSchemaType.OBJECT,
    additionalProperties: false,
    required: ['requestId', 'type', 'subject'],
    properties: {
      requestId: { type: apigw.JsonSchemaType.STRING, pattern: REQUEST_ID_PATTERN, description: 'Caller-chosen idempotency key.' },
      type: { type: apigw.JsonSchemaType.STRING, enum: REQUEST_TYPES },
      subject: { type: apigw.JsonSchemaType.STRING, pattern: SUBJECT_PATTERN, maxLength: 256, description: 'The data subject\'s identifier in the stores.' },
      receivedAt: { type: apigw.JsonSchemaType.STRING, pattern: RECEIVED_AT_PATTERN, description: 'When the business received the request (ISO 8601, UTC).' },
      corrections: {
        type: apigw.JsonSchemaType.OBJECT,
        minProperties: 1,
        maxProperties: MAX_CORRECTIONS,
        patternProperties: { [ATTRIBUTE_PATTERN]: correctionValue },
        additionalProperties: false,
      },
    },
    oneOf: [
      {
        properties: { type: { enum: ['CORRECT'] } },
        required: ['corrections'],
      },
      {
        properties: { type: { enum: REQUEST_TYPES.filter((t) => t !== 'CORRECT') } },
        not: { required: ['corrections'] },
      },
    ],
  };
}

/** The JSON schema of the answers (accepted request, status). */
export function statusSchema(): apigw.JsonSchema {
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'DsrRequestStatus',
    type: apigw.JsonSchemaType.OBJECT,
    additionalProperties: false,
    required: ['requestId', 'status'],
    properties: {
      requestId: { type: apigw.JsonSchemaType.STRING },
      status: { type: apigw.JsonSchemaType.STRING, enum: ['SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] },
      startDate: { type: apigw.JsonSchemaType.NUMBER, description: 'Epoch seconds.' },
      stopDate: { type: apigw.JsonSchemaType.NUMBER, description: 'Epoch seconds, once the request has ended.' },
    },
  };
}
