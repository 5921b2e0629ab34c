import { createHmac } from 'node:crypto';

/** Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHashOf(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}
