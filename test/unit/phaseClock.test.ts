// The phase clock on a fake time source: paused time does not count toward the limit,
// the limit fires once after that much unpaused time, and a stopped clock fires nothing.

import { strict as assert } from 'node:assert';
import { PhaseClock, type TimeSource } from '../../src/engine/phaseClock';

/** Time that moves only when told; due timers run as it passes them. */
class FakeTime implements TimeSource {
  private current = 1000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, callback });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, running each timer at its time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].callback();
    }
    this.current = end;
  }
}

describe('the phase clock', () => {
  it('does not count paused time, and fires its limit only after that much unpaused time', () => {
    const time = new FakeTime();
    let fired = 0;
    const clock = new PhaseClock(150, () => fired++, time);
    clock.pause();
    time.advance(250);
    assert.equal(fired, 0, 'paused past the limit: no timeout');
    assert.equal(clock.pausedMs(), 250);
    assert.equal(clock.elapsedMs(), 0);
    assert.equal(time.pendingTimers, 0, 'a paused clock holds no timer');
    clock.resume();
    assert.equal(clock.remainingMs(), 150);
    time.advance(149);
    assert.equal(fired, 0, 'one millisecond before the limit');
    time.advance(2);
    assert.equal(fired, 1);
    assert.equal(clock.elapsedMs(), 151);
    time.advance(1000);
    assert.equal(fired, 1, 'the limit fires once');
    clock.stop();
  });

  it('adds up several pauses, and keeps the remaining time while paused', () => {
    const time = new FakeTime();
    let fired = 0;
    const clock = new PhaseClock(100, () => fired++, time);
    time.advance(40);
    clock.pause();
    time.advance(500);
    assert.equal(clock.remainingMs(), 60);
    assert.ok(clock.paused);
    clock.resume();
    time.advance(30);
    clock.pause();
    time.advance(70);
    clock.resume();
    assert.equal(clock.pausedMs(), 570);
    assert.equal(clock.elapsedMs(), 70);
    time.advance(31);
    assert.equal(fired, 1);
  });

  it('fires nothing once stopped', () => {
    const time = new FakeTime();
    let fired = 0;
    const clock = new PhaseClock(100, () => fired++, time);
    time.advance(50);
    clock.stop();
    clock.resume();
    time.advance(1000);
    assert.equal(fired, 0);
    assert.equal(time.pendingTimers, 0);
  });
});
