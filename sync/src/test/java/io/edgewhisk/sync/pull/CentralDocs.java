package io.edgewhisk.sync.pull;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Entity documents shaped exactly as Apache OpenWhisk's serializers write them to the whisks database. */
public final class CentralDocs {
  private CentralDocs() {}

  public static JsonObject nodeAction(String ns, String name, String code, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","_rev":"1-0f5f8b1c0c3a","name":"%2$s","namespace":"%1$s","entityType":"action",
         "version":"0.0.1","publish":false,"updated":1733390000000,
         "annotations":[{"key":"exec","value":"nodejs:18"},{"key":"provide-api-key","value":false}%3$s],
         "parameters":[{"key":"greeting","value":"hi"}],
         "limits":{"timeout":60000,"memory":256,"logs":10,"concurrency":1},
         "exec":{"kind":"nodejs:18","binary":false,"code":{"attachmentName":"mem:%4$s","attachmentType":"text/plain"}}}
        """.formatted(ns, name, fleet(labels),
            Base64.getUrlEncoder().encodeToString(code.getBytes(StandardCharsets.UTF_8))));
  }

  /** An action whose code is the document's CouchDB attachment {@code <uuid>}. */
  public static JsonObject couchAction(String ns, String name, String uuid, boolean binary, String kind, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"action","version":"0.0.2","publish":true,
         "updated":1733390000000,"annotations":[{"key":"exec","value":"%5$s"}%3$s],"parameters":[],
         "limits":{"timeout":30000,"memory":128,"logs":10,"concurrency":1},
         "exec":{"kind":"%5$s","binary":%6$s,"main":"main",
                 "code":{"attachmentName":"couch:%4$s","attachmentType":"%7$s","length":1234,"digest":"sha256-abc"}}}
        """.formatted(ns, name, fleet(labels), uuid, kind, binary, binary ? "application/zip" : "text/plain"));
  }

  public static JsonObject sequence(String ns, String name, String... components) {
    StringBuilder c = new StringBuilder();
    for (String s : components) {
      c.append(c.length() == 0 ? "" : ",").append('"').append(s).append('"');
    }
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"action","version":"0.0.1","publish":false,
         "updated":1733390000000,"annotations":[{"key":"exec","value":"sequence"},{"key":"edge-fleet","value":"*"}],
         "parameters":[],"limits":{"timeout":60000,"memory":256,"logs":10,"concurrency":1},
         "exec":{"kind":"sequence","components":[%3$s]}}
        """.formatted(ns, name, c));
  }

  public static JsonObject blackbox(String ns, String name, String image) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"action","version":"0.0.1","publish":false,
         "updated":1733390000000,"annotations":[{"key":"exec","value":"blackbox"},{"key":"edge-fleet","value":["all"]}],
         "parameters":[],"limits":{"timeout":60000,"memory":256,"logs":10,"concurrency":1},
         "exec":{"kind":"blackbox","image":"%3$s","binary":false}}
        """.formatted(ns, name, image));
  }

  public static JsonObject pkg(String ns, String name, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"package","version":"0.0.1","publish":true,
         "updated":1733390000000,"binding":{},"annotations":[%3$s],"parameters":[{"key":"host","value":"db.local"}]}
        """.formatted(ns, name, fleet(labels).replaceFirst("^,", "")));
  }

  public static JsonObject binding(String ns, String name, String boundNs, String boundName, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"package","version":"0.0.1","publish":false,
         "updated":1733390000000,"binding":{"namespace":"%3$s","name":"%4$s"},"annotations":[%5$s],
         "parameters":[{"key":"user","value":"edge"}]}
        """.formatted(ns, name, boundNs, boundName, fleet(labels).replaceFirst("^,", "")));
  }

  /** A trigger with its rules map, as OpenWhisk keeps the rules' status. */
  public static JsonObject trigger(String ns, String name, JsonObject rules, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"trigger","version":"0.0.3","publish":false,
         "updated":1733390000000,"annotations":[%3$s],"parameters":[],"limits":{}}
        """.formatted(ns, name, fleet(labels).replaceFirst("^,", ""))).put("rules", rules);
  }

  public static JsonObject ruleEntry(String actionPath, String actionName, String status) {
    return new JsonObject().put("action", new JsonObject().put("path", actionPath).put("name", actionName)).put("status", status);
  }

  /** A rule document: no status (it lives in the trigger's rules map). */
  public static JsonObject rule(String ns, String name, String trigger, String action, String... labels) {
    return new JsonObject("""
        {"_id":"%1$s/%2$s","name":"%2$s","namespace":"%1$s","entityType":"rule","version":"0.0.1","publish":false,
         "updated":1733390000000,"annotations":[%5$s],
         "trigger":{"path":"%1$s","name":"%3$s"},"action":{"path":"%1$s","name":"%4$s"}}
        """.formatted(ns, name, trigger, action, fleet(labels).replaceFirst("^,", "")));
  }

  private static String fleet(String... labels) {
    if (labels.length == 0) {
      return "";
    }
    if (labels.length == 1 && labels[0].equals("*")) {
      return ",{\"key\":\"edge-fleet\",\"value\":\"*\"}";
    }
    StringBuilder b = new StringBuilder(",{\"key\":\"edge-fleet\",\"value\":[");
    for (int i = 0; i < labels.length; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(labels[i]).append('"');
    }
    return b.append("]}").toString();
  }
}
