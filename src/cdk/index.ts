export {
  environmentOf,
  type InviteSecretSource,
  PreSignUpTrigger,
  type PreSignUpTriggerProps,
  type PreSignUpTriggerSettings,
  SETTING_PROPS,
} from './pre-signup-trigger.js';
