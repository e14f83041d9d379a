import { defineErrors } from 'src/common/errors/domain-error';

export const AlertErrors = defineErrors({
  ALERT_NOT_FOUND: { status: 404, title: 'Alert not found' },
  ALERT_INVALID_TRANSITION: { status: 409, title: 'Alert cannot make that transition' },
  ALERT_RULE_NOT_FOUND: { status: 404, title: 'Alert rule not found' },
  ALERT_CHANNEL_NOT_FOUND: { status: 404, title: 'Alert channel not found' },
  ALERT_CHANNEL_NAME_TAKEN: { status: 409, title: 'Alert channel name already in use' },
});
