// An OpenAI-compatible chat endpoint on loopback that captions any image, as slowly as a test needs: a real HTTP
// server speaking the protocol the captions provider speaks (POST /v1/chat/completions with an image part), so a
// test can hold the pipeline's slowest lane the way a busy vision model does.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaptionEndpoint {
  /** Base URL for SHOEBOX_CAPTION_URL (…/v1). */
  url: string;
  /** Requests answered so far. */
  readonly answered: number;
  /** Requests waiting while held. */
  readonly held: number;
  /** Milliseconds each answer waits; changeable while running. */
  delayMs: number;
  /** While held, requests wait until release() or admit() (then each still waits delayMs). */
  hold(): void;
  /** Lets the next `count` held requests through (the oldest first) and keeps holding the rest. */
  admit(count?: number): void;
  release(): void;
  close(): Promise<void>;
}

const ANSWER = {
  caption: 'A photo',
  description: 'A photo taken outdoors.',
  primary_category: 'other',
  tags: ['photo'],
  detected_objects: [],
  scene_type: 'outdoor',
  suggested_cluster_name: 'Photos',
  quality_grade: 'B',
  quality_reason: 'Sharp enough.',
};

export async function startCaptionEndpoint(options: { delayMs?: number } = {}): Promise<CaptionEndpoint> {
  let answered = 0;
  let holding = false;
  let tickets = 0;
  const waiting: (() => void)[] = [];
  const pass = () => {
    while (waiting.length > 0 && (!holding || tickets > 0)) {
      if (holding) tickets -= 1;
      waiting.shift()!();
    }
  };
  /** Waits its turn; a request whose client gave up (timed out) leaves the line, so that admit() goes to a live one. */
  const gate = (res: ServerResponse) => {
    if (!holding && waiting.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      res.on('close', () => {
        const at = waiting.indexOf(resolve);
        if (at >= 0 && !res.writableFinished) waiting.splice(at, 1);
      });
      pass();
    });
  };
  const state = { delayMs: options.delayMs ?? 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        await gate(res);
        if (res.destroyed) return;
        await new Promise((resolve) => setTimeout(resolve, state.delayMs));
        let hasImage = false;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: unknown }[] };
          const content = body.messages.at(-1)?.content;
          hasImage = Array.isArray(content) && content.some((part: { type?: string }) => part.type === 'image_url');
        } catch {
          hasImage = false;
        }
        if (!hasImage) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"no image in the request"}}');
          return;
        }
        answered += 1;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(ANSWER) } }] }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const open = () => {
    holding = false;
    tickets = 0;
    pass();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get answered() {
      return answered;
    },
    get held() {
      return waiting.length;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    hold() {
      holding = true;
    },
    admit(count = 1) {
      tickets += count;
      pass();
    },
    release: open,
    async close() {
      open();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The caption JSON a test endpoint answers for a photo when the test does not care what it says. */
export const PLAIN_CAPTION = ANSWER;

/**
 * An OpenAI-compatible chat endpoint whose reply the test writes from the request's system prompt (captions, a
 * prompt from a photo, a catalogue entry each have their own).
 */
export async function startChatEndpoint(reply: (system: string) => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { role: string; content: unknown }[] };
      const system = String(body.messages.find((m) => m.role === 'system')?.content ?? '');
      const content = reply(system);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
