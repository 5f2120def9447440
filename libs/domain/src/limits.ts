/**
 * The bounds that keep every report inside what Temporal and PostgreSQL accept, in one table.
 * The API's edge refuses input past them with a 400 naming the field; the rules refuse commands
 * that would grow a report past `MAX_REPORT_TEXT_BYTES`. docs/limits.md does the arithmetic:
 * with these numbers a report's workflow state stays under ~0.7 MiB whatever its users do, so
 * no payload nears Temporal's 2 MiB limit and a run continues as new long before its history
 * nears 50 MiB.
 */

/** A report's title, a project's title, a step's name. */
export const MAX_TITLE_LENGTH = 300;
/** A report's public summary. */
export const MAX_SUMMARY_LENGTH = 2_000;
/** A decision's comment, a resubmission's comment, an escalation's justification. */
export const MAX_COMMENT_LENGTH = 4_000;
/** A report's `body`, as UTF-8 JSON. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Nesting of any JSON request (objects and arrays). */
export const MAX_JSON_DEPTH = 32;

/** Files attached to one revision of a report. */
export const MAX_ATTACHMENTS = 20;

/** Steps of one approval line, escalation levels of one step. */
export const MAX_LINE_STEPS = 20;
export const MAX_ESCALATION_LEVELS = 10;
/**
 * Members of a project holding one deciding role (supervisor, agency officer, agency head): a
 * step's assignees are at most this many, and so are its approvals and its search attribute.
 */
export const MAX_ROLE_MEMBERS = 25;
/** Delegations of one step in one revision, and deadline extensions of one step. */
export const MAX_DELEGATIONS_PER_STEP = 20;
export const MAX_EXTENSIONS_PER_STEP = 10;

/** The least an escalation handler may extend a deadline by: a minute (a smaller one is a typo). */
export const MIN_EXTENSION_SECONDS = 60;
/** Any SLA, escalation delay or extension: a year and a day. */
export const MAX_DURATION_SECONDS = 366 * 86_400;

/**
 * A command that adds free text or a new revision (a comment, a justification, a resubmission,
 * a delegation) is refused once the report's state would pass this size. Decisions without a
 * comment, withdrawals and deadlines are never refused for size, so a full report can always be
 * finished; docs/limits.md bounds what they can still add.
 */
export const MAX_REPORT_TEXT_BYTES = 384 * 1024;
