import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Personal access token format:
 *
 *   rmp_ <43 base62 chars: 32 random bytes> <6 base62 chars: CRC32>
 *
 * The fixed prefix lets secret scanners match the pattern; the checksum lets
 * typos and garbage be refused without touching the database.
 */
export const TOKEN_PREFIX = 'rmp_';
export const TOKEN_PATTERN = /^rmp_[0-9A-Za-z]{49}$/;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + 49;

const ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_BYTES = 32;
const BODY_LENGTH = 43; // 62^43 > 2^256
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const DISPLAY_CHARS = 8;

/** Redmine's own API keys: 40 lowercase hex characters. */
export const LEGACY_KEY_PATTERN = /^[0-9a-f]{40}$/i;

export type CredentialShape = 'token' | 'legacy' | 'malformed';

export function base62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, '0');
}

function checksumOf(prefixAndBody: string): string {
  let rest = crc32(prefixAndBody);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Returns a new token from the CSPRNG; callers store only its digest. */
export function generateToken(): string {
  const secret = BigInt('0x' + randomBytes(SECRET_BYTES).toString('hex'));
  const head = TOKEN_PREFIX + base62(secret, BODY_LENGTH);
  return head + checksumOf(head);
}

/** Returns true when the token has the right shape and checksum. */
export function hasValidChecksum(token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;

  const head = token.slice(0, TOKEN_LENGTH - CHECKSUM_LENGTH);
  return checksumOf(head) === token.slice(TOKEN_LENGTH - CHECKSUM_LENGTH);
}

/** Tells what a presented credential can be, without any lookup. */
export function classifyCredential(credential: string): CredentialShape {
  if (credential.startsWith(TOKEN_PREFIX)) {
    return hasValidChecksum(credential) ? 'token' : 'malformed';
  }
  return LEGACY_KEY_PATTERN.test(credential) ? 'legacy' : 'malformed';
}

/** SHA-256 of the credential, hex encoded: the only form ever stored. */
export function digestOf(credential: string): string {
  return hash('sha256', credential, 'hex');
}

/** Non-secret beginning of a token, shown in lists and audit rows. */
export function displayPrefixOf(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + DISPLAY_CHARS);
}
