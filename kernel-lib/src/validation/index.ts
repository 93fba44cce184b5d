export { validateStatistics, hasAnomalies, type ValidateOptions } from './validate';
export { MESSAGES, MULTIPLE_ERRORS, sixDigits, percentage } from './messages';
