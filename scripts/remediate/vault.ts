/** Deletes the vault object versions that hold only migrated values, one DeleteObject per version. */
import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";

export interface DeletionOutcome {
  location: string;
  error?: string;
}

export async function deleteVersions(client: S3Client, deletions: readonly { bucket: string; key: string; versionId?: string }[]): Promise<DeletionOutcome[]> {
  const outcomes: DeletionOutcome[] = [];
  for (const deletion of deletions) {
    const location = `s3://${deletion.bucket}/${deletion.key}${deletion.versionId ? ` (version ${deletion.versionId})` : ""}`;
    try {
      // With a version id the version is gone for good; without one (a bucket never versioned) the object is.
      await client.send(new DeleteObjectCommand({ Bucket: deletion.bucket, Key: deletion.key, ...(deletion.versionId ? { VersionId: deletion.versionId } : {}) }));
      outcomes.push({ location });
    } catch (error) {
      outcomes.push({ location, error: `${(error as Error).name}: ${(error as Error).message.split("\n")[0]}` });
    }
  }
  return outcomes;
}
