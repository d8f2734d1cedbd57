// Node's Buffer as a global for the browser bundle, for the shared verification code.
export { Buffer } from 'buffer';
