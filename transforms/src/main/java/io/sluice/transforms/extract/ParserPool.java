package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.SourceDocument;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The parser processes of one JVM for one set of settings, shared by every DoFn instance that
 * extracts with them, so their number is bounded however many instances the runner creates: at most
 * {@link ExtractionSettings#effectiveParserProcesses()} run at once, each parsing one document.
 * Processes are started on demand and kept between documents; one that was stopped at the time
 * limit or died is replaced. The watchdog that enforces time limits is one thread.
 */
final class ParserPool {
  private record Key(ExtractionSettings settings, Class<?> mainClass) {}

  private static final Map<Key, ParserPool> POOLS = new HashMap<>();

  private final Key key;
  private final Semaphore permits;
  private final Deque<ParserProcess> idle = new ArrayDeque<>();
  private final ScheduledExecutorService watchdog;
  private int users;

  private ParserPool(Key key) {
    this.key = key;
    this.permits = new Semaphore(key.settings().effectiveParserProcesses(), true);
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "sluice-parser-watchdog");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The pool for these settings, started if needed; every call must be paired with release. */
  static ParserPool acquire(ExtractionSettings settings, Class<?> mainClass) {
    synchronized (POOLS) {
      ParserPool pool = POOLS.computeIfAbsent(new Key(settings, mainClass), ParserPool::new);
      pool.users++;
      return pool;
    }
  }

  /** Gives up one use; the last one ends the processes. */
  void release() {
    synchronized (POOLS) {
      if (--users > 0) {
        return;
      }
      POOLS.remove(key);
    }
    synchronized (idle) {
      idle.forEach(ParserProcess::close);
      idle.clear();
    }
    watchdog.shutdownNow();
  }

  /**
   * Extracts a document in a parser process, waiting for one to be free.
   *
   * @throws ExtractionException the document's classified failure, {@code timeout} included
   * @throws IOException no parser process could be started: the runner should retry the work
   */
  DocumentRecord extract(SourceDocument source)
      throws ExtractionException, IOException, InterruptedException {
    permits.acquire();
    ParserProcess process = null;
    try {
      process = idleProcess();
      return process.extract(source, key.settings().timeout(), watchdog);
    } finally {
      if (process != null) {
        giveBack(process);
      }
      permits.release();
    }
  }

  private ParserProcess idleProcess() throws IOException {
    synchronized (idle) {
      if (!idle.isEmpty()) {
        return idle.pop();
      }
    }
    return ParserProcess.start(key.settings(), key.mainClass(), watchdog);
  }

  private void giveBack(ParserProcess process) {
    if (!process.usable()) {
      process.close();
      return;
    }
    synchronized (idle) {
      idle.push(process);
    }
  }
}
