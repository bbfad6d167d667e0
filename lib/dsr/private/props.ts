import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { HANDLER_INTERFACE_SERVICES } from './network';
import { checkRecipients } from './recipients';
import { DsrCoverage, TenancyModel } from '../../classification/privacy-tag-keys';
import { PrivateProcessingNetwork } from '../../network/private-processing-network';
import { PropsValidator } from '../../private/validation';
import { IPersonalDataStore, PersonalDataStoreDescription, PersonalDataStoreKind } from '../../storage/personal-data-store';
import { PrivacyRecipient } from '../../storage/privacy-recipient';
import { isTenantId, TENANT_PLACEHOLDER } from '../../storage/subject-key-layout';
import type { DsrWorkflowProps } from '../dsr-workflow';
import { MIN_AUDIT_RETENTION_DAYS } from '../handlers/shared/config';

/** SigV4 presigned URLs are valid for at most 7 days. */
const MAX_LINK_SECONDS = 7 * 86_400;
/** At most this many holidays (they travel in one Lambda environment variable; Lambda allows 4 KB for all of them). */
const MAX_HOLIDAYS = 200;

/** A DsrWorkflow's props with their defaults applied: the one place the defaults live. */
export interface WorkflowSettings {
  readonly stores: IPersonalDataStore[];
  /** What each store says about itself, in the order of `stores`. */
  readonly descriptions: PersonalDataStoreDescription[];
  readonly auditRetention: Duration;
  readonly exportRetention: Duration;
  readonly exportLinkExpiry: Duration;
  readonly maxConcurrency: number;
  /** Unset: no reserved concurrency. */
  readonly reservedConcurrency?: number;
  readonly deadlineWarningWindow: Duration;
  readonly deadlineCheckInterval: Duration;
  /** Sorted, without duplicates. */
  readonly holidays: string[];
  readonly alarmActions: cloudwatch.IAlarmAction[];
  readonly network?: PrivateProcessingNetwork;
  readonly recipients: PrivacyRecipient[];
}

/** The settings of `props`, after one validation that reports every problem at once. */
export function workflowSettings(scope: Construct, props: DsrWorkflowProps): WorkflowSettings {
  const stores = props.stores ?? [];
  const settings: WorkflowSettings = {
    stores,
    descriptions: stores.map((s) => s.describePersonalData()),
    auditRetention: props.auditRetention ?? Duration.days(MIN_AUDIT_RETENTION_DAYS),
    exportRetention: props.exportRetention ?? Duration.days(7),
    exportLinkExpiry: props.exportLinkExpiry ?? Duration.hours(1),
    maxConcurrency: props.maxConcurrency ?? 4,
    reservedConcurrency: props.reservedConcurrency,
    deadlineWarningWindow: props.deadlineWarningWindow ?? Duration.days(5),
    deadlineCheckInterval: props.deadlineCheckInterval ?? Duration.days(1),
    holidays: [...new Set(props.holidays ?? [])].sort(),
    alarmActions: props.alarmActions ?? [],
    network: props.network,
    recipients: props.recipients ?? [],
  };
  const v = new PropsValidator(scope, 'DsrWorkflowPropsInvalid');
  checkStores(v, settings.descriptions);
  checkRetention(v, settings);
  checkReservedConcurrency(v, settings);
  checkDeadlineCheck(v, settings.deadlineWarningWindow, settings.deadlineCheckInterval);
  checkHolidays(v, props.holidays ?? []);
  checkNetwork(v, settings.network);
  checkRecipients(v, scope, settings.recipients, stores);
  v.throwIfInvalid();
  return settings;
}

/** What each kind of store must describe, so that the handlers can find a subject's records in it. */
const LOCATOR: Record<PersonalDataStoreKind, Array<keyof PersonalDataStoreDescription>> = {
  [PersonalDataStoreKind.S3_BUCKET]: ['subjectPrefixTemplate'],
  [PersonalDataStoreKind.DYNAMODB_TABLE]: ['subjectIndexName', 'subjectAttribute', 'subjectValueTemplate', 'tableKeyAttributes'],
};

function checkStores(v: PropsValidator, stores: PersonalDataStoreDescription[]): void {
  v.check(stores.length === 0, 'DsrWorkflowStoresEmpty',
    'stores is empty: pass every store that holds consumers\' personal information (Cal. Civ. Code 1798.105, 1798.110).');
  for (const d of stores) {
    v.check(d.dsrCoverage !== DsrCoverage.COVERED, 'DsrWorkflowStoreNotCovered',
      `stores: ${d.constructPath} is tagged privacy:dsr=${d.dsrCoverage}; pass only covered stores, or set the store's dsr prop to covered.`);
    const missing = (LOCATOR[d.kind] ?? []).filter((field) => {
      const value = d[field];
      return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    });
    v.check(missing.length > 0, 'DsrWorkflowStoreLocatorMissing',
      `stores: ${d.constructPath} does not describe its ${missing.join(', ')}; a store must say how one subject's records are found and deleted.`);
    checkOwnership(v, d);
  }
}

/**
 * Who owns each store's records, decided here: pooled (the locator carries `{tenant}`, so one
 * tenant's request never names another's keys), a silo of exactly one declared tenant
 * (`siloTenant`), or a silo of the organization (no `siloTenant`: a DsrApi refuses the workflow).
 */
function checkOwnership(v: PropsValidator, d: PersonalDataStoreDescription): void {
  const locator = d.kind === PersonalDataStoreKind.S3_BUCKET ? d.subjectPrefixTemplate : d.subjectValueTemplate;
  if (d.tenancy === TenancyModel.POOLED) {
    v.check(typeof locator === 'string' && !Token.isUnresolved(locator) && !locator.includes(TENANT_PLACEHOLDER), 'DsrWorkflowPooledStoreWithoutTenant',
      `stores: ${d.constructPath} is pooled but its subject locator "${locator}" has no ${TENANT_PLACEHOLDER}, so one tenant's request would reach every tenant's records; put ${TENANT_PLACEHOLDER} in the store's locator, or make it a SILO store with siloTenant.`);
    v.check(d.siloTenant !== undefined, 'DsrWorkflowPooledStoreWithSiloTenant',
      `stores: ${d.constructPath} is pooled and also names siloTenant "${d.siloTenant}"; remove siloTenant, or make the store TenancyModel.SILO.`);
  } else if (d.tenancy === TenancyModel.SILO) {
    v.check(d.siloTenant !== undefined && (Token.isUnresolved(d.siloTenant) || !isTenantId(d.siloTenant)), 'DsrWorkflowSiloTenantInvalid',
      `stores: ${d.constructPath} has siloTenant "${d.siloTenant}", which is not a tenant id; use 1 to 64 letters, digits, "_" or "-", starting with a letter or digit.`);
  } else {
    v.check(true, 'DsrWorkflowStoreTenancyUnknown',
      `stores: ${d.constructPath} describes tenancy "${String(d.tenancy)}"; describe TenancyModel.POOLED or TenancyModel.SILO, so the workflow knows whose records the store holds.`);
  }
}

/** Construct paths of the stores of the organization: SILO without siloTenant. */
export function organizationStorePaths(stores: PersonalDataStoreDescription[]): string[] {
  return stores.filter((d) => d.tenancy !== TenancyModel.POOLED && d.siloTenant === undefined).map((d) => d.constructPath);
}

function checkRetention(v: PropsValidator, s: WorkflowSettings): void {
  const auditDays = s.auditRetention.toDays({ integral: false });
  if (!Token.isUnresolved(auditDays)) {
    v.check(auditDays < MIN_AUDIT_RETENTION_DAYS || !Number.isInteger(auditDays), 'DsrWorkflowAuditRetentionTooShort',
      `auditRetention ${auditDays} days is too short; keep records of requests for at least ${MIN_AUDIT_RETENTION_DAYS} whole days (24 months, 11 CCR 7101).`);
  }
  const exportDays = s.exportRetention.toDays({ integral: false });
  if (!Token.isUnresolved(exportDays)) {
    v.check(exportDays < 1 || exportDays > 30 || !Number.isInteger(exportDays), 'DsrWorkflowExportRetentionInvalid',
      `exportRetention ${exportDays} days is out of range; an access report copies the consumer's data, so let it expire after 1 to 30 whole days.`);
  }
  const linkSeconds = s.exportLinkExpiry.toSeconds({ integral: false });
  if (!Token.isUnresolved(linkSeconds) && !Token.isUnresolved(exportDays)) {
    v.check(linkSeconds < 60 || linkSeconds > MAX_LINK_SECONDS || linkSeconds > exportDays * 86_400, 'DsrWorkflowExportLinkExpiryInvalid',
      `exportLinkExpiry ${linkSeconds} s is out of range; use 60 s to 7 days (the presigned URL limit) and no longer than exportRetention.`);
  }
  v.check(!Token.isUnresolved(s.maxConcurrency) && (!Number.isInteger(s.maxConcurrency) || s.maxConcurrency < 1 || s.maxConcurrency > 40),
    'DsrWorkflowMaxConcurrencyInvalid', `maxConcurrency ${s.maxConcurrency} is out of range; process 1 to 40 stores in parallel.`);
}

/** Lambda's default concurrency limit of an account (a reservation above it cannot be made there). */
const MAX_RESERVED_CONCURRENCY = 1000;

function checkReservedConcurrency(v: PropsValidator, s: WorkflowSettings): void {
  const r = s.reservedConcurrency;
  if (r === undefined || Token.isUnresolved(r)) return;
  const floor = Token.isUnresolved(s.maxConcurrency) ? 1 : Math.max(1, s.maxConcurrency);
  v.check(!Number.isInteger(r) || r < floor || r > MAX_RESERVED_CONCURRENCY, 'DsrWorkflowReservedConcurrencyInvalid',
    `reservedConcurrency ${r} is out of range; use a whole number from maxConcurrency (${floor}), so one request's stores can run in parallel, to ${MAX_RESERVED_CONCURRENCY}, or leave it unset to share the account's unreserved concurrency.`);
}

function checkDeadlineCheck(v: PropsValidator, window: Duration, interval: Duration): void {
  const windowHours = window.toHours({ integral: false });
  const intervalHours = interval.toHours({ integral: false });
  if (!Token.isUnresolved(windowHours)) {
    v.check(!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 30 * 24, 'DsrWorkflowDeadlineWarningWindowInvalid',
      `deadlineWarningWindow ${windowHours} hours is out of range; use whole hours from 1 hour to 30 days, so a warning comes before the deadlines pass (Cal. Civ. Code 1798.130(a)(2)).`);
  }
  if (!Token.isUnresolved(intervalHours)) {
    v.check(!Number.isInteger(intervalHours) || intervalHours < 1 || intervalHours > 24, 'DsrWorkflowDeadlineCheckIntervalInvalid',
      `deadlineCheckInterval ${intervalHours} hours is out of range; use whole hours from 1 hour to 1 day (the deadline alarm's period).`);
  }
  if (!Token.isUnresolved(windowHours) && !Token.isUnresolved(intervalHours)) {
    v.check(windowHours < intervalHours, 'DsrWorkflowDeadlineWarningWindowTooShort',
      `deadlineWarningWindow ${windowHours} hours is shorter than deadlineCheckInterval ${intervalHours} hours; make the window longer, or a deadline can pass between two checks unwarned.`);
  }
}

function checkHolidays(v: PropsValidator, holidays: string[]): void {
  const isDate = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  };
  const bad = holidays.filter((d) => Token.isUnresolved(d) || !isDate(d));
  v.check(bad.length > 0, 'DsrWorkflowHolidaysInvalid',
    `holidays ${JSON.stringify(bad.slice(0, 3))} are not dates; list real calendar dates as YYYY-MM-DD, without tokens (the business days of 11 CCR 7021(a)).`);
  v.check(holidays.length > MAX_HOLIDAYS, 'DsrWorkflowHolidaysTooMany',
    `holidays has ${holidays.length} dates; list at most ${MAX_HOLIDAYS} (a few years ahead, extended yearly), as they travel in the Requests function's 4 KB environment.`);
}

function checkNetwork(v: PropsValidator, network: PrivateProcessingNetwork | undefined): void {
  if (!network) return;
  const have = new Set(network.interfaceEndpointServices.map((s) => s.shortName));
  const missing = HANDLER_INTERFACE_SERVICES.map((s) => s.shortName).filter((n) => !have.has(n));
  v.check(missing.length > 0, 'DsrWorkflowNetworkEndpointsMissing',
    `network ${network.node.path} has no interface endpoint for ${missing.join(', ')}; add them to its interfaceEndpointServices, as the handlers in its isolated subnets call KMS, EventBridge and Step Functions.`);
}
