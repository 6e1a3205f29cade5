import { MAX_TIMEOUT_MS, type RuntimeEnv, type TimerId } from './env';

/**
 * Wall-clock deadlines. A task runs when the injected clock reaches its instant, not when a
 * duration has elapsed: timers of throttled background tabs and sleeping laptops fire late, so
 * `check()` (called on `visibilitychange`, `focus`, `online`, `pageshow`) runs every task that
 * is already due, and a timer that fires early (a long delay split into chunks) re-arms itself.
 */
export interface Scheduler {
  /** Run `task` at epoch ms `time` (at once on the next check if it already passed). */
  at(time: number, task: () => void): () => void;
  /** Run every task whose time has come. */
  check(): void;
  /** Cancel every task. */
  clear(): void;
}

interface Task {
  time: number;
  run: () => void;
  timer?: TimerId;
}

export function createScheduler(env: RuntimeEnv): Scheduler {
  const tasks = new Set<Task>();

  const cancel = (task: Task) => {
    env.clearTimeout(task.timer);
    return tasks.delete(task);
  };
  /** Run a task that is still planned (a cancelled one may still have a timer in flight). */
  const fire = (task: Task) => {
    if (cancel(task)) task.run();
  };
  const arm = (task: Task) => {
    task.timer = env.setTimeout(
      () => {
        if (env.now() >= task.time) fire(task);
        else if (tasks.has(task)) arm(task);
      },
      Math.min(Math.max(task.time - env.now(), 0), MAX_TIMEOUT_MS),
    );
  };

  return {
    at(time, run) {
      const task: Task = { time, run };
      tasks.add(task);
      arm(task);
      return () => {
        cancel(task);
      };
    },
    check() {
      const now = env.now();
      for (const task of [...tasks]) if (now >= task.time) fire(task);
    },
    clear() {
      for (const task of [...tasks]) cancel(task);
    },
  };
}
