package io.edgewhisk.sync.push;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Activation records as the core appends them to the activations topic (the REST API's form). */
public final class ActivationRecords {
  private ActivationRecords() {}

  public static String id(int i) {
    return String.format(Locale.ROOT, "%032x", 0xabc0000L + i);
  }

  public static JsonObject record(String ns, int i) {
    return new JsonObject("""
        {"namespace":"%1$s","name":"hello","subject":"alice","activationId":"%2$s","start":1733390000000,
         "end":1733390000042,"duration":42,
         "response":{"status":"success","statusCode":0,"success":true,"result":{"greeting":"hi %3$d"},"size":22},
         "logs":["2024-12-05T10:00:00.001Z       stdout: hello %3$d"],
         "annotations":[{"key":"path","value":"%1$s/hello"},{"key":"waitTime","value":5},{"key":"kind","value":"nodejs:18"},
           {"key":"timeout","value":false},{"key":"limits","value":{"concurrency":1,"logs":10,"memory":256,"timeout":60000}},
           {"key":"initTime","value":30}],
         "version":"0.0.1","publish":false}
        """.formatted(ns, id(i), i));
  }
}
