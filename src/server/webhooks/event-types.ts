// What a webhook may be subscribed to, and its limits: the HTTP schemas, the matcher and
// the docs all read these, so they cannot disagree.

export const WEBHOOK_EVENTS = ['finding.opened', 'finding.closed', 'zone.entered', 'zone.exited', 'zone.dwell', 'notice.unacknowledged'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_LIMITS = {
  /** subscriptions one actor may hold */
  perActor: 20,
  url: 2048,
  /** zone or unit ids in one filter */
  filterIds: 100,
  /** the longest dwell a subscription may ask about: a week */
  dwellMaxS: 7 * 24 * 3600,
} as const;
