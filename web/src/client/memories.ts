// Memories: on this day, trips and people over the years, computed for the user's own date.
import type { AlbumSummary, MemoryList, MemorySettings, MemorySummary, PhotoSummary } from '../../../src/api/contract.js';
import { request } from '../api.js';

export type { MemoryList, MemorySettings, MemorySummary };

export type MemoryKind = MemorySummary['kind'];
export type MemoryDetail = MemorySummary & { items: PhotoSummary[] };

/** Today as the user's calendar has it (YYYY-MM-DD). */
export function localToday(now: Date = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

let kept: { today: string; list: Promise<MemoryList> } | null = null;

/** The memories for today, asked once per day and page life (the timeline's strip and the Memories page share them). */
export function listMemories(fresh = false): Promise<MemoryList> {
  const today = localToday();
  if (fresh || !kept || kept.today !== today) {
    const list = request<MemoryList>('GET', `/api/memories?today=${today}`);
    kept = { today, list };
    // an answer for another day (today's being computed on the server) is not kept: the next page asks again
    list.then(
      (answer) => {
        if (answer.computedFor !== today && kept?.list === list) kept = null;
      },
      () => {
        if (kept?.list === list) kept = null;
      },
    );
  }
  return kept.list;
}

export function getMemory(id: string, signal?: AbortSignal): Promise<MemoryDetail> {
  return request('GET', `/api/memories/${encodeURIComponent(id)}`, { signal });
}

export async function hideMemory(id: string): Promise<void> {
  await request('POST', `/api/memories/${encodeURIComponent(id)}/hide`);
  kept = null;
}

export function memoryAsAlbum(id: string): Promise<AlbumSummary> {
  return request('POST', `/api/memories/${encodeURIComponent(id)}/album`, { body: {} });
}

export function getMemorySettings(signal?: AbortSignal): Promise<MemorySettings> {
  return request('GET', '/api/memories/settings', { signal });
}

export async function putMemorySettings(changes: { kindsOff?: MemoryKind[]; home?: { latitude: number; longitude: number } | null }): Promise<MemorySettings> {
  const settings = await request<MemorySettings>('PUT', '/api/memories/settings', { body: changes });
  kept = null;
  return settings;
}

export async function showHiddenMemories(): Promise<number> {
  const { restored } = await request<{ restored: number }>('DELETE', '/api/memories/hidden');
  kept = null;
  return restored;
}
