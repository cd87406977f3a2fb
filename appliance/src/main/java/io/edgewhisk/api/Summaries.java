package io.edgewhisk.api;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.Rule;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The short forms OpenWhisk's list routes answer with. */
final class Summaries {
  private Summaries() {}

  static JsonArray entities(List<WhiskEntity> list) {
    JsonArray a = new JsonArray();
    list.forEach(e -> a.add(entity(e)));
    return a;
  }

  static JsonObject entity(WhiskEntity e) {
    JsonObject o = WhiskEntity.common(e);
    o.remove("parameters");
    if (e instanceof Action a) {
      o.put("exec", new JsonObject().put("binary", a.exec().toJson(false).getBoolean("binary", false)));
      o.put("limits", a.limits().toJson());
    } else if (e instanceof WhiskPackage p) {
      o.put("binding", p.toJson().getJsonObject("binding"));
    } else if (e instanceof Rule r) {
      JsonObject full = r.toJson();
      o.put("trigger", full.getJsonObject("trigger")).put("action", full.getJsonObject("action")).put("status", full.getString("status"));
    }
    return o;
  }
}
