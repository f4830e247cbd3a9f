import type { Card } from './card.js';
import type { ProfileRecord } from './state.js';

/**
 * Makes `target` the enabled profile (one at a time on the card), with a notification for the
 * profile that gave way and one for the target: the same for an eIM's enable, a rollback and the
 * fallback mechanism.
 */
export function switchTo(card: Card, target: ProfileRecord): void {
  const current = card.state.profiles.find((p) => p.state === 'enabled');
  if (current) {
    current.state = 'disabled';
    card.notify('notificationDisable', current);
  }
  target.state = 'enabled';
  card.notify('notificationEnable', target);
}
