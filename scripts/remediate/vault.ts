/** Deletes the vault object versions that hold only migrated values, one DeleteObject per version. */
import { DeleteObjectCommand, GetBucketVersioningCommand, type S3Client } from "@aws-sdk/client-s3";

export interface DeletionOutcome {
  location: string;
  error?: string;
}

export async function deleteVersions(client: S3Client, deletions: readonly { bucket: string; key: string; versionId?: string }[]): Promise<DeletionOutcome[]> {
  const outcomes: DeletionOutcome[] = [];
  const versioned = new Map<string, boolean>();
  for (const deletion of deletions) {
    const location = `s3://${deletion.bucket}/${deletion.key}${deletion.versionId ? ` (version ${deletion.versionId})` : ""}`;
    try {
      if (!versioned.has(deletion.bucket)) versioned.set(deletion.bucket, Boolean((await client.send(new GetBucketVersioningCommand({ Bucket: deletion.bucket }))).Status));
      // In a bucket that has versioning, an object from before it is version "null": deleting without an id would only add a delete marker.
      const versionId = deletion.versionId ?? (versioned.get(deletion.bucket) ? "null" : undefined);
      await client.send(new DeleteObjectCommand({ Bucket: deletion.bucket, Key: deletion.key, ...(versionId ? { VersionId: versionId } : {}) }));
      outcomes.push({ location });
    } catch (error) {
      outcomes.push({ location, error: `${(error as Error).name}: ${(error as Error).message.split("\n")[0]}` });
    }
  }
  return outcomes;
}
