// Device templates: CTP script import/export, matching on header values, device signatures.
export * from './types';
export { parseCtpScript, formatCtpScript, type ParsedScript } from './ctp-script';
export { parseCondition, ConditionSyntaxError } from './parse-condition';
export { matchTemplates, evaluateCondition, testValue } from './match-templates';
export { deviceSignature, templateFromImage, SIGNATURE_KEYWORDS } from './device-signature';
export { headerValue } from './header-value';
