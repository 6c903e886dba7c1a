/** The shop has no time zone setting: its days, for the statistics, are UTC days. */
export const STATS_TIME_ZONE = 'UTC';

export const statsPeriods = ['today', 'last7Days', 'last30Days'] as const;
export type StatsPeriod = (typeof statsPeriods)[number];

/** How many calendar days each period spans, today included. */
const daysIn: Record<StatsPeriod, number> = { today: 1, last7Days: 7, last30Days: 30 };

const DAY_MS = 86_400_000;

/** A stretch of whole days: from `since` (a midnight) up to, not including, `until` (tomorrow's). */
export interface StatsWindow {
  period: StatsPeriod;
  since: Date;
  until: Date;
}

/**
 * The windows the statistics count in at `now`: today, and the last 7 and 30 days, each ending
 * with today and made of whole days in STATS_TIME_ZONE (an order at 23:59:59.999 yesterday is
 * not today's; one at 00:00 is).
 */
export function statsWindows(now: Date): Record<StatsPeriod, StatsWindow> {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const until = new Date(midnight + DAY_MS);
  const window = (period: StatsPeriod) => ({
    period,
    since: new Date(midnight - (daysIn[period] - 1) * DAY_MS),
    until,
  });
  return { today: window('today'), last7Days: window('last7Days'), last30Days: window('last30Days') };
}
