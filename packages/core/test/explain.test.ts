import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { format } from 'node:util';
import createDebug from 'debug';
import { clip, explainer, MAX_VALUE_LENGTH } from '@mw/core';
import type { Decision } from '@mw/core';

const req = (url: string, method = 'GET') => ({ url, method }) as IncomingMessage;

/** Collects what `mw:<pkg>` publishes while `fn` runs. */
function published(pkg: string, fn: () => void): Decision[] {
  const seen: Decision[] = [];
  const onMessage = (message: unknown) => seen.push(message as Decision);
  subscribe(`mw:${pkg}`, onMessage);
  try {
    fn();
  } finally {
    unsubscribe(`mw:${pkg}`, onMessage);
  }
  return seen;
}

describe('explainer(pkg)', () => {
  describe('when neither DEBUG nor a subscriber is on', () => {
    it('is disabled', () => {
      expect(explainer('test-off').enabled).toBe(false);
    });
  });

  describe('when the channel mw:<pkg> has a subscriber', () => {
    it('is enabled, and publishes { package, event, reason, method, path, ...details }', () => {
      const explain = explainer('test-channel');
      const seen = published('test-channel', () => {
        expect(explain.enabled).toBe(true);
        explain.decide(req('/api/items?token=secret', 'POST'), 'refused', 'refused it: why', {
          origin: 'https://evil.example',
          status: 400,
        });
      });
      expect(seen).toEqual([
        {
          package: 'test-channel',
          event: 'refused',
          reason: 'refused it: why',
          method: 'POST',
          path: '/api/items',
          origin: 'https://evil.example',
          status: 400,
        },
      ]);
      expect(explain.enabled).toBe(false);
    });

    it('leaves method and path out of a decision made at construction', () => {
      const explain = explainer('test-construct');
      const seen = published('test-construct', () =>
        explain.decide(undefined, 'order', 'ran in order: a, b', { order: ['a', 'b'] }),
      );
      expect(seen).toEqual([
        {
          package: 'test-construct',
          event: 'order',
          reason: 'ran in order: a, b',
          order: ['a', 'b'],
        },
      ]);
    });

    it('bounds every value it carries, strings in lists included', () => {
      const explain = explainer('test-bound');
      const long = 'x'.repeat(10_000);
      const [message] = published('test-bound', () =>
        explain.decide(req(`/${long}`), 'e', `reason ${long}`, { value: long, list: [long] }),
      );
      expect(message!.path!.length).toBeLessThan(MAX_VALUE_LENGTH + 20);
      expect(message!.value).toBe(clip(long));
      expect((message!.list as string[])[0]).toBe(clip(long));
      expect(message!.reason.length).toBeLessThan(420);
    });
  });

  describe("when debug enables mw:<pkg> after load (require('debug').enable)", () => {
    afterEach(() => createDebug.disable());

    it('is enabled and prints "<reason> (<method> <path>)"', () => {
      const explain = explainer('test-debug');
      expect(explain.enabled).toBe(false);
      createDebug.enable('mw:*');
      const lines: string[] = [];
      const log = jest.spyOn(createDebug, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(format(...args));
      });
      try {
        expect(explain.enabled).toBe(true);
        explain.decide(req('/a?b=c', 'DELETE'), 'e', 'skipped: because');
      } finally {
        log.mockRestore();
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('mw:test-debug');
      expect(lines[0]).toContain('skipped: because (DELETE /a)');
      expect(lines[0]).not.toContain('b=c');
    });

    it("prints a client's %o or %s verbatim, never as a format directive", () => {
      const explain = explainer('test-format');
      createDebug.enable('mw:test-format');
      const lines: string[] = [];
      const log = jest.spyOn(createDebug, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(format(...args));
      });
      try {
        explain.decide(req('/%o/%s'), 'e', 'refused %O');
      } finally {
        log.mockRestore();
      }
      expect(lines[0]).toContain('refused %O (GET /%o/%s)');
    });
  });
});

describe('clip(value, max)', () => {
  it.each<[string, unknown, number | undefined, string]>([
    ['keeps a short value', 'https://a.example', undefined, 'https://a.example'],
    ['cuts a long value and says by how much', 'abcdef', 3, 'abc…(+3 chars)'],
    ['escapes control characters', 'a\u0000b\u001bc\u007f', undefined, 'a\\x00b\\x1bc\\x7f'],
    ['turns a non-string into text', 42, undefined, '42'],
  ])('%s', (_name, value, max, expected) => {
    expect(clip(value, max)).toBe(expected);
  });

  it(`keeps ${MAX_VALUE_LENGTH} characters by default`, () => {
    expect(clip('y'.repeat(MAX_VALUE_LENGTH + 5))).toBe(
      `${'y'.repeat(MAX_VALUE_LENGTH)}…(+5 chars)`,
    );
  });
});
