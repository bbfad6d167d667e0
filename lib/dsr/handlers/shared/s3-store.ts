import { DeleteObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, ObjectIdentifier } from '@aws-sdk/client-s3';
import { DsrRetryableError, fillTemplate, StoreConfig } from './model';
import { Runtime } from './runtime';

/** Where a listing resumes: ListObjectVersions markers, or a ListObjectsV2 continuation token. */
export interface S3Cursor {
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
  readonly token?: string;
}

export interface S3Page {
  /** Versioned: every version and delete marker; unversioned: every key. */
  readonly objects: ObjectIdentifier[];
  readonly next?: S3Cursor;
}

export function subjectPrefix(store: StoreConfig, tenant: string, subject: string): string {
  return fillTemplate(store.prefixTemplate!, tenant, subject);
}

/** One page of the subject's object versions and delete markers (versioned=true), or of its keys. */
export async function listPage(
  rt: Runtime, store: StoreConfig, prefix: string, versioned: boolean, cursor: S3Cursor | undefined, maxKeys = 1000,
): Promise<S3Page> {
  if (versioned) {
    const out = await rt.s3.send(new ListObjectVersionsCommand({
      Bucket: store.name, Prefix: prefix, KeyMarker: cursor?.keyMarker, VersionIdMarker: cursor?.versionIdMarker, MaxKeys: maxKeys,
    }));
    const objects = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    const next = out.IsTruncated ? { keyMarker: out.NextKeyMarker, versionIdMarker: out.NextVersionIdMarker } : undefined;
    return { objects, next };
  }
  const out = await rt.s3.send(new ListObjectsV2Command({ Bucket: store.name, Prefix: prefix, ContinuationToken: cursor?.token, MaxKeys: maxKeys }));
  return { objects: (out.Contents ?? []).map((o) => ({ Key: o.Key! })), next: out.IsTruncated ? { token: out.NextContinuationToken } : undefined };
}

/** Delete objects (with VersionId: that version or delete marker, permanently), 1,000 per request. */
export async function deleteObjects(rt: Runtime, store: StoreConfig, objects: ObjectIdentifier[]): Promise<number> {
  for (let i = 0; i < objects.length; i += 1000) {
    const out = await rt.s3.send(new DeleteObjectsCommand({ Bucket: store.name, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }));
    if ((out.Errors ?? []).length > 0) throw new DsrRetryableError(`S3 could not delete ${out.Errors!.length} objects (${[...new Set(out.Errors!.map((e) => e.Code))].join(', ')})`);
  }
  return objects.length;
}
