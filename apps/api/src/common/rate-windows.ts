/**
 * Fixed one-minute windows of counted events per client, in memory: the public edge's rate limit.
 * Each API process counts on its own, so that a public read costs no database round trip; with
 * several processes the proxy holds the global limit (docs/operations.md, "Several processes").
 * The map is bounded: a flood of addresses clears it rather than growing memory.
 */
const WINDOW_MS = 60_000;
const MAX_CLIENTS = 100_000;

export class RateWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event of `client`: the seconds to wait when it is over the limit, else undefined. */
  take(client: string): number | undefined {
    const t = this.now();
    let w = this.windows.get(client);
    if (!w || t - w.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_CLIENTS) this.windows.clear();
      w = { start: t, count: 0 };
      this.windows.set(client, w);
    }
    if (w.count >= this.perMinute) return Math.max(1, Math.ceil((w.start + WINDOW_MS - t) / 1000));
    w.count += 1;
    return undefined;
  }

  /** Gives back one event of the current window (it turned out not to count). */
  refund(client: string): void {
    const w = this.windows.get(client);
    if (w && w.count > 0) w.count -= 1;
  }
}
