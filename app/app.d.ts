import type { Actor } from '../analytics/auth';

declare global {
  namespace App {
    interface Locals {
      /** who is asking; null only on the sign-in page when sign-in is required */
      actor: Actor | null;
    }
  }
}

export {};
