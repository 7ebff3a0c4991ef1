/**
 * What the sidecar needs to know about a Redmine user. Redmine's status
 * column: 1 active, 2 registered (not yet activated), 3 locked.
 */
export type UserStatus = 'active' | 'registered' | 'locked';

export interface UserState {
  id: number;
  login: string;
  status: UserStatus;
}

export function userStatusFromRedmine(code: number): UserStatus {
  if (code === 1) return 'active';
  if (code === 2) return 'registered';
  return 'locked';
}
