/**
 * SSRF guard: decides whether an outbound connection may go to an IP address. The classification
 * lives in the domain (../domain/ip-address.ts), where saving a webhook refuses an IP-literal URL
 * by the same rule, so the refusal at save and the guard at delivery never disagree.
 */
export { type AddressClass, blockedReason } from '../domain/ip-address.js';
