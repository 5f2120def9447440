import type { UsableFile } from '@openccs/persistence';

/**
 * Why `file` may not be published by the person attaching or registering it, or null: one rule
 * for report attachments and project documents. Only its uploader publishes a file (someone
 * else's private attachment stays private), only when a copy without personal metadata exists,
 * and never when that copy was withdrawn.
 */
export function publicationProblem(file: UsableFile): string | null {
  if (!file.ownUpload)
    return 'only a file you uploaded yourself can be published; ask its uploader to publish it';
  if (!file.publishedSha256) return `this file cannot be published: ${file.publishProblem}`;
  if (file.publishedWithdrawn)
    return 'this file cannot be published: its public copy was withdrawn from publication';
  return null;
}
