import { Token } from 'aws-cdk-lib';
import { TENANTS_PREFIX } from './bucket-policy';
import { TenancyModel } from '../../classification/privacy-tag-keys';
import { PropsValidator } from '../../private/validation';
import { SUBJECT_PLACEHOLDER, TENANT_PLACEHOLDER } from '../subject-key-layout';

/**
 * Validate a subject prefix template (PersonalDataBucket, ExistingPersonalDataBucket). A
 * PersonalDataBucket's pooled template must start with `tenants/{tenant}/` (`tenantsPrefix`), the
 * prefix its bucket policy gives each tenant; an existing pooled bucket's must hold `{tenant}`.
 */
export function validateTemplate(v: PropsValidator, template: string, tenancy: TenancyModel, tenantsPrefix: boolean = true): void {
  if (Token.isUnresolved(template)) {
    v.fail('SubjectPrefixTemplateToken', 'subjectPrefixTemplate is a token: pass a literal string, because the bucket policy and the DSR grants are built from it at synth.');
    return;
  }
  const shown = JSON.stringify(template);
  v.check(!template.includes(SUBJECT_PLACEHOLDER), 'SubjectPrefixWithoutSubject',
    `subjectPrefixTemplate ${shown} has no ${SUBJECT_PLACEHOLDER} placeholder (a request would have to scan the bucket): add one, e.g. "subjects/${SUBJECT_PLACEHOLDER}/".`);
  v.check(!template.endsWith('/'), 'SubjectPrefixWithoutSlash',
    `subjectPrefixTemplate ${shown} must end with "/" so that subject "12" does not match "123": append "/".`);
  v.check(template.startsWith('/'), 'SubjectPrefixLeadingSlash', `subjectPrefixTemplate ${shown} must not start with "/": remove the leading "/".`);
  v.check(/[*?$]/.test(template) || /\{(?!tenant\}|subject\})[^}]*\}/.test(template), 'SubjectPrefixPlaceholders',
    `subjectPrefixTemplate ${shown} may hold only the placeholders ${TENANT_PLACEHOLDER} and ${SUBJECT_PLACEHOLDER}: remove other placeholders and any "*", "?" or "$".`);
  v.check(tenancy === TenancyModel.POOLED && !tenantsPrefix && !template.includes(TENANT_PLACEHOLDER), 'SubjectPrefixWithoutTenant',
    `subjectPrefixTemplate ${shown} of a pooled bucket has no ${TENANT_PLACEHOLDER} placeholder, so one tenant's request would reach every tenant's objects: put ${TENANT_PLACEHOLDER} in it, e.g. "${TENANTS_PREFIX}${TENANT_PLACEHOLDER}/subjects/${SUBJECT_PLACEHOLDER}/".`);
  v.check(tenancy === TenancyModel.POOLED && tenantsPrefix && !template.startsWith(`${TENANTS_PREFIX}${TENANT_PLACEHOLDER}/`), 'SubjectPrefixOutsideTenant',
    `subjectPrefixTemplate ${shown} of a pooled bucket must start with "${TENANTS_PREFIX}${TENANT_PLACEHOLDER}/", the only prefix the bucket policy lets a tenant reach.`);
}
