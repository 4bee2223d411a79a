package dev.codemode.spec.internal;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SpecLoader;
import java.nio.file.Path;

/** Prints tasks whose gold operation's action clashes with the query's (to check the verb lists). */
public final class ActionProbe {
  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args[0]);
    for (String api : args[1].split(",")) {
      ApiSpec spec = SpecLoader.load(api, shared.resolve("specs/" + api + ".json").toString());
      EvalSet set = EvalSet.jsonl(api, shared.resolve("search-eval/bigapis/" + api + "-tasks.jsonl"), api);
      int clash = 0;
      int fit = 0;
      int none = 0;
      for (EvalSet.Task t : set.tasks()) {
        Actions.Action q = Actions.ofQuery(t.query());
        Operation gold = spec.operation(t.gold().get(0)).orElseThrow();
        int f = Actions.fit(q, Actions.of(gold));
        if (q == null) {
          none++;
        } else if (f < 0) {
          clash++;
          System.out.println(api + " CLASH q=" + q + " op=" + Actions.of(gold) + " " + gold.operationId() + " '"
              + gold.summary() + "' : " + t.query());
        } else if (f > 0) {
          fit++;
        }
      }
      System.out.println(api + ": fit " + fit + " clash " + clash + " no action " + none);
    }
  }
}
