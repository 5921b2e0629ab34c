export {
  type CaptchaSecretSource,
  type InviteSecretSource,
  type PreSignUpTriggerSettings,
  environmentOf,
  SETTING_PROPS,
} from './settings-props.js';
export { PreSignUpTrigger, type PreSignUpTriggerProps } from './pre-signup-trigger.js';
