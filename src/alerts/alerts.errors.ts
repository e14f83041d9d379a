import { defineErrors } from 'src/common/errors/domain-error';
import { onMissingReference } from 'src/common/errors/missing-reference';

export const AlertErrors = defineErrors({
  ALERT_NOT_FOUND: { status: 404, title: 'Alert not found' },
  ALERT_INVALID_TRANSITION: { status: 409, title: 'Alert cannot make that transition' },
  ALERT_RULE_NOT_FOUND: { status: 404, title: 'Alert rule not found' },
  ALERT_CHANNEL_NOT_FOUND: { status: 404, title: 'Alert channel not found' },
  ALERT_CHANNEL_NAME_TAKEN: { status: 409, title: 'Alert channel name already in use' },
  SILENCE_NOT_FOUND: { status: 404, title: 'Silence not found' },
  SILENCE_EXPIRED: { status: 409, title: 'Silence already expired' },
});

// A row deleted while a write that refers to it ran: 404, mapped once for every write (missing-reference.ts).
onMissingReference('model_alerts', (key) => AlertErrors.ALERT_NOT_FOUND(`The alert (${key}) was deleted while this request ran.`));
onMissingReference('model_alert_rules', (key) =>
  AlertErrors.ALERT_RULE_NOT_FOUND(`The alert rule (${key}) was deleted while this request ran.`),
);
onMissingReference('model_alert_channels', (key) =>
  AlertErrors.ALERT_CHANNEL_NOT_FOUND(`The alert channel (${key}) was deleted while this request ran.`),
);
