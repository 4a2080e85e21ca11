// The networks and the phone the phone benchmark emulates, through CDP (Network.emulateNetworkConditions on a page).
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export type Conditions = { offline: boolean; latency: number; downloadThroughput: number; uploadThroughput: number };
/** Chrome DevTools' "Fast 3G" (front_end/core/sdk/NetworkManager.ts): 1.6 Mbit/s down, 750 kbit/s up, ×0.9; 150 ms × 3.75. */
export const FAST_3G: Conditions = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };
/** The bulk of the backup: a good 4G cell or a home Wi-Fi (20 ms, 20 Mbit/s up, 40 down). */
export const BULK: Conditions = { offline: false, latency: 20, downloadThroughput: 5_000_000, uploadThroughput: 2_500_000 };
export const OFFLINE: Conditions = { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
export const PHONE = {
  viewport: { width: 375, height: 812 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
  colorScheme: 'light',
  locale: 'en-US',
} as const;

export async function emulate(context: BrowserContext, page: Page): Promise<(conditions: Conditions) => Promise<void>> {
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  return async (conditions) => {
    await cdp.send('Network.emulateNetworkConditions', conditions);
  };
}
