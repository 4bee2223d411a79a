package dev.codemode.isolate.internal;

import dev.codemode.isolate.Limits;
import java.time.Duration;

/** The texts the model reads when a limit ends its script: which limit, and how to stay within it. Stateless. */
final class Messages {
  private Messages() {}

  public static String wallTime(Duration d) {
    return "The script ran longer than the " + seconds(d) + " wall-time limit. Return sooner: fewer calls, smaller"
        + " pages, or Promise.all for independent calls.";
  }

  static String cpuTime(Duration d) {
    return "The script used more than the " + seconds(d) + " CPU-time limit (a long or endless loop?). Do less work"
        + " in JavaScript: let the API filter and page, and avoid nested loops over large data.";
  }

  public static String memory(long bytes) {
    return "The script allocated more than the " + mb(bytes) + " memory limit. Work in smaller pieces: fewer items"
        + " per page, keep only the fields you need, and avoid building huge arrays or strings.";
  }

  static String heapShort(long bytes) {
    return "The sandbox ran short of memory while this script held the most (" + mb(bytes) + " allocated). Work in"
        + " smaller pieces: fewer items per page, keep only the fields you need.";
  }

  static String stack(int depth) {
    return "The script exceeded the call-depth limit of " + depth + " frames (deep or endless recursion). Use a loop"
        + " or an explicit stack instead of recursion.";
  }

  /** @param size the JSON size, or minus a lower bound when serialising stopped early */
  static String output(long size, int max) {
    return "The result is " + (size < 0 ? "more than " + (-size) : String.valueOf(size)) + " bytes of JSON, over the " + max + "-byte output limit. Return less: pick only"
        + " the fields you need, summarise, or paginate.";
  }

  static String hostCalls(int max) {
    return "The script made more than " + max + " host calls, the per-execution limit. Make fewer calls: use list"
        + " endpoints, filters or larger pages.";
  }

  static String hostCallsInFlight(int max) {
    return "The script had more than " + max + " host calls in flight at once, the concurrency limit. Await them in"
        + " batches of at most " + max + " (Promise.all over slices of the list).";
  }

  public static String busy(int running, int queued) {
    return "The sandbox is busy (" + running + " executions running, " + queued + " queued); retry in a moment.";
  }

  public static String cancelled() {
    return "The execution was cancelled.";
  }

  static String neverSettles() {
    return "The script's promise can never settle: it awaits something that nothing will resolve (no host call is"
        + " pending and there are no timers). Make sure every Promise you create is resolved or rejected.";
  }

  static String describeLimits(Limits l) {
    return "wall " + seconds(l.wallTime()) + ", cpu " + seconds(l.cpuTime()) + ", memory " + mb(l.maxAllocatedBytes());
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String mb(long bytes) {
    return (bytes >> 20) + " MB";
  }
}
