import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * The request contract of DsrApi, shared by the JSON-schema models and the tests. API Gateway
 * validates bodies against these models before it invokes the workflow's Requests function, which
 * validates them again (it is the one way into the workflow, also when invoked directly).
 *
 * The tenant never comes from the body: it is the `{tenant}` path segment, bound to the caller by
 * the resource policy (IAM: the caller's `tenant` principal tag) or compared with the Cognito token's
 * tenant claim by the Requests function. Path segments are not validated by API Gateway (request
 * parameter validation checks presence only); the Requests function refuses a tenant outside
 * the tenant id syntax (`TENANT_ID_PATTERN`) and a request id outside `[A-Za-z0-9_-]{1,64}` with a 400.
 */
export const REQUEST_TYPES = ['ACCESS', 'DELETE', 'CORRECT', 'OPT_OUT', 'LIMIT', 'OPT_IN', 'UNLIMIT'];
/** The consumer's choices and their withdrawal: no verification, applied to the consent records at once; they may name linked ids. */
export const CHOICE_TYPES = ['OPT_OUT', 'LIMIT', 'OPT_IN', 'UNLIMIT'];
/** At most this many linked ids in one choice request. */
export const MAX_LINKED_SUBJECTS = 20;
/** Request ids: the DsrWorkflow's idempotency key, what its Requests function accepts. */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** The subject identifier: what DsrWorkflow accepts (no `/` for S3 prefixes, no `#` for composite keys). */
export const SUBJECT_PATTERN = '^[A-Za-z0-9._@+=:-]{1,256}$';
/** An ISO 8601 UTC time (the DsrWorkflow checks it is not in the future). */
export const RECEIVED_AT_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$';
/** Attribute names a CORRECT request may change. */
export const ATTRIBUTE_PATTERN = '^[A-Za-z0-9_.-]{1,255}$';
/** At most this many corrections in one request, each value at most MAX_VALUE_LENGTH characters. */
export const MAX_CORRECTIONS = 50;
export const MAX_VALUE_LENGTH = 1024;
/** An extension reason: what the Requests function accepts (1 to 1,000 characters, no control characters). */
export const MAX_REASON_LENGTH = 1000;
export const REASON_PATTERN = `^[^\\u0000-\\u001f\\u007f]{1,${MAX_REASON_LENGTH}}$`;
/** The states of a request in the workflow's ledger. */
export const REQUEST_STATUSES = ['RECEIVED', 'IN_PROGRESS', 'AWAITING_RECIPIENTS', 'COMPLETED', 'FAILED'];

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
      requestId: { type: apigw.JsonSchemaType.STRING, pattern: REQUEST_ID_PATTERN, description: 'Caller-chosen idempotency key, unique per workflow (use a UUID).' },
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
      linkedSubjects: {
        type: apigw.JsonSchemaType.ARRAY,
        maxItems: MAX_LINKED_SUBJECTS,
        uniqueItems: true,
        items: { type: apigw.JsonSchemaType.STRING, pattern: SUBJECT_PATTERN, maxLength: 256 },
        description: 'OPT_OUT, LIMIT, OPT_IN, UNLIMIT: the other ids the business links to the consumer; the choice applies to each.',
      },
    },
    oneOf: [
      {
        properties: { type: { enum: ['CORRECT'] } },
        required: ['corrections'],
        not: { required: ['linkedSubjects'] },
      },
      {
        properties: { type: { enum: CHOICE_TYPES } },
        not: { required: ['corrections'] },
      },
      {
        properties: { type: { enum: REQUEST_TYPES.filter((t) => t !== 'CORRECT' && !CHOICE_TYPES.includes(t)) } },
        not: { anyOf: [{ required: ['corrections'] }, { required: ['linkedSubjects'] }] },
      },
    ],
  };
}

/**
 * The JSON schema of an extension: the reason given to the consumer for the one 45-day
 * extension (11 CCR 7021(b)). The Requests function also refuses a reason of spaces only.
 */
export function extensionRequestSchema(): apigw.JsonSchema {
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'DsrExtensionRequest',
    description: 'The one 45-day extension of a request, with the reason given to the consumer (11 CCR 7021(b)).',
    type: apigw.JsonSchemaType.OBJECT,
    additionalProperties: false,
    required: ['reason'],
    properties: {
      reason: {
        type: apigw.JsonSchemaType.STRING,
        minLength: 1,
        maxLength: MAX_REASON_LENGTH,
        pattern: REASON_PATTERN,
        description: 'Why more time is needed, as told to the consumer (kept encrypted in the ledger).',
      },
    },
  };
}

/**
 * The JSON schema of an opt-out preference signal: the consumer's or browser's id. The signal is
 * the request's `Sec-GPC: 1` header, or `gpc: true` when the caller forwards a signal its own
 * endpoint received; without either the Requests function answers 400.
 */
export function optOutSignalSchema(): apigw.JsonSchema {
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'DsrOptOutSignal',
    description: 'An opt-out preference signal (Global Privacy Control) for a consumer or browser id, recorded as an OPT_OUT (Cal. Civ. Code 1798.135).',
    type: apigw.JsonSchemaType.OBJECT,
    additionalProperties: false,
    required: ['subject'],
    properties: {
      subject: { type: apigw.JsonSchemaType.STRING, pattern: SUBJECT_PATTERN, maxLength: 256, description: 'The consumer\'s or browser\'s pseudonymous id (a cookie or device id, an account id).' },
      gpc: { type: apigw.JsonSchemaType.BOOLEAN, description: 'true: the caller forwards an opt-out preference signal it received (instead of the Sec-GPC: 1 header).' },
    },
  };
}

/** The JSON schema of the answers (submitted request, status, extension): the Requests function's RequestStatus. */
export function statusSchema(): apigw.JsonSchema {
  const time = (description: string): apigw.JsonSchema => ({ type: apigw.JsonSchemaType.STRING, description });
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'DsrRequestStatus',
    description: 'A request\'s state and deadlines, never its identifier or corrections.',
    type: apigw.JsonSchemaType.OBJECT,
    additionalProperties: false,
    required: ['requestId', 'type', 'status', 'receivedAt', 'dueBy', 'extended'],
    properties: {
      requestId: { type: apigw.JsonSchemaType.STRING },
      type: { type: apigw.JsonSchemaType.STRING, enum: REQUEST_TYPES },
      status: { type: apigw.JsonSchemaType.STRING, enum: REQUEST_STATUSES },
      receivedAt: time('When the business received the request (ISO 8601).'),
      confirmBy: time('Know, delete, correct: receipt is confirmed by, 10 business days after receipt (11 CCR 7021(a)); absent for OPT_OUT and LIMIT.'),
      dueBy: time('The deadline in force: 45 days after receipt, 90 once the extension is recorded; OPT_OUT and LIMIT: 15 business days, never extended.'),
      extended: { type: apigw.JsonSchemaType.BOOLEAN, description: 'Whether the one 45-day extension is recorded.' },
      confirmedAt: time('Know, delete, correct: when the business\'s notifier confirmed receipt to the consumer.'),
      completedAt: time('When the request completed.'),
      honored: { type: apigw.JsonSchemaType.BOOLEAN, description: 'OPT_OUT, LIMIT, OPT_IN, UNLIMIT: whether the choice is applied to the consent records applications read.' },
      honoredAt: time('When the choice was applied.'),
      display: { type: apigw.JsonSchemaType.STRING, enum: ['Opt-Out Request Honored'], description: 'OPT_OUT, once honored: the text a client displays (11 CCR 7025(c)).' },
      execution: { type: apigw.JsonSchemaType.STRING, description: 'The name of the request\'s current execution (<requestId>_r<n>).' },
      report: {
        type: apigw.JsonSchemaType.OBJECT,
        description: 'ACCESS: the expiring link to the portable report, while it is valid.',
        additionalProperties: false,
        required: ['url', 'expiresAt'],
        properties: {
          url: { type: apigw.JsonSchemaType.STRING },
          expiresAt: time('When the link expires (ISO 8601).'),
        },
      },
      recipients: {
        type: apigw.JsonSchemaType.ARRAY,
        description: 'DELETE, CORRECT, OPT_OUT with recipients: each recipient\'s notice; the request is COMPLETED once every one is ACKNOWLEDGED.',
        items: {
          type: apigw.JsonSchemaType.OBJECT,
          additionalProperties: false,
          required: ['recipientId', 'status', 'attempts', 'acknowledgeBy'],
          properties: {
            recipientId: { type: apigw.JsonSchemaType.STRING },
            status: { type: apigw.JsonSchemaType.STRING, enum: ['PENDING', 'SENT', 'FAILED', 'ACKNOWLEDGED'] },
            attempts: { type: apigw.JsonSchemaType.INTEGER, description: 'Notices sent (or tried) so far.' },
            acknowledgeBy: time('When the recipient\'s acknowledgement is due.'),
            sentAt: time('When the first notice was sent.'),
            lastAttemptAt: time('When the last notice was sent or tried.'),
            lastError: { type: apigw.JsonSchemaType.STRING, description: 'FAILED: why the last notice could not be sent (an error name).' },
            acknowledgedAt: time('When the recipient acknowledged.'),
            outcome: { type: apigw.JsonSchemaType.STRING, description: 'What the recipient reported (DELETED, CORRECTED, OPTED_OUT, NOT_FOUND, ...).' },
            overdue: { type: apigw.JsonSchemaType.BOOLEAN, description: 'The acknowledgement timeout passed without an acknowledgement: the deadline check escalates it.' },
          },
        },
      },
    },
  };
}
