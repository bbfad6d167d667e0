/** How callers of a DsrApi authenticate. There is no unauthenticated option. */
export enum DsrApiAuthorization {
  /**
   * SigV4-signed requests (`AWS_IAM`). The caller's `tenant` principal tag (a role tag or a
   * session tag) must equal the `{tenant}` path segment: the API's resource policy denies
   * everything else, and callers without the tag.
   */
  IAM = 'IAM',
  /**
   * Cognito user pool tokens. The tenant is the token's tenant claim (`tenantClaim`); the
   * `{tenant}` path segment must equal it, or the workflow's Requests function refuses the call
   * (403) before it reads or records anything.
   */
  COGNITO = 'COGNITO',
}
