/**
 * A report's evidence: files attached to a revision. The workflow holds their ids (SHA-256) and
 * what a reader needs to know of them, never their bytes. A public attachment is published with
 * the step's record when the kind's policy allows it: for a photo, its copy without metadata,
 * which the record names by its own hash.
 */

/** What a public record names for a file: its hash, type and size. */
export interface PublishedFile {
  readonly sha256: string;
  readonly contentType: string;
  readonly size: number;
}

/** An attachment as a command carries it: the file as the API found it, and whether it is public. */
export interface AttachmentInput {
  /** SHA-256 of the bytes (hex): the file's id. */
  readonly fileId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly public: boolean;
  /** What a record names when it is published; null when the file cannot be published. */
  readonly published: PublishedFile | null;
}

/** An attachment of one revision of a report. */
export interface Attachment extends AttachmentInput {
  readonly revision: number;
}

/** The attachments of `revision` (the current one, for the report as it stands). */
export function attachmentsOf(
  state: { readonly attachments?: readonly Attachment[] },
  revision: number,
): Attachment[] {
  return (state.attachments ?? []).filter((a) => a.revision === revision);
}

/**
 * The files a step's record publishes: the revision's public attachments, each as its published
 * form (for a photo, the copy without metadata), when the kind's policy lets attachments out.
 */
export function publicAttachments(
  attachments: readonly Attachment[],
  revision: number,
  policyAllows: boolean,
): Array<PublishedFile & { readonly name: string }> {
  if (!policyAllows) return [];
  return attachments
    .filter((a) => a.revision === revision && a.public && a.published)
    .map((a) => ({ name: a.name, ...(a.published as PublishedFile) }));
}
