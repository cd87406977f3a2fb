package io.edgewhisk.sync.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * The central cluster's CouchDB as its operators (and OpenWhisk's controller) write to it: plain HTTP with
 * Basic auth, document ids percent-encoded. Used by the tests to deploy centrally and to read what arrived.
 */
final class CentralCouch {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;
  private final String auth;

  CentralCouch(String url, String user, String password) {
    this.url = url;
    this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  void createDatabase(String db) {
    HttpResponse<String> r = send("PUT", "/" + db, null);
    if (r.statusCode() != 201 && r.statusCode() != 412) {
      throw new AssertionError("cannot create " + db + ": " + r.statusCode() + " " + r.body());
    }
  }

  /** Writes a document (its {@code _id} in it; with {@code _rev} for an update); answers the new revision. */
  String put(String db, JsonObject doc) {
    HttpResponse<String> r = send("PUT", "/" + db + "/" + encode(doc.getString("_id")), doc.encode());
    if (r.statusCode() != 201 && r.statusCode() != 202) {
      throw new AssertionError("cannot write " + doc.getString("_id") + " to " + db + ": " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body()).getString("rev");
  }

  /** Writes the document over its current revision, whatever that is. */
  String replace(String db, JsonObject doc) {
    JsonObject current = get(db, doc.getString("_id"));
    JsonObject next = doc.copy();
    next.remove("_rev");
    if (current != null) {
      next.put("_rev", current.getString("_rev"));
    }
    return put(db, next);
  }

  /** The document, or null when there is none. */
  JsonObject get(String db, String id) {
    HttpResponse<String> r = send("GET", "/" + db + "/" + encode(id), null);
    if (r.statusCode() == 404) {
      return null;
    }
    if (r.statusCode() != 200) {
      throw new AssertionError("cannot read " + id + " from " + db + ": " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** The ids of every document of the database. */
  Set<String> ids(String db) {
    HttpResponse<String> r = send("GET", "/" + db + "/_all_docs", null);
    if (r.statusCode() != 200) {
      throw new AssertionError("cannot list " + db + ": " + r.statusCode() + " " + r.body());
    }
    Set<String> ids = new HashSet<>();
    for (Object row : new JsonObject(r.body()).getJsonArray("rows", new JsonArray())) {
      ids.add(((JsonObject) row).getString("id"));
    }
    return ids;
  }

  /** Every document of the database. */
  java.util.List<JsonObject> docs(String db) {
    HttpResponse<String> r = send("GET", "/" + db + "/_all_docs?include_docs=true", null);
    if (r.statusCode() != 200) {
      throw new AssertionError("cannot list " + db + ": " + r.statusCode() + " " + r.body());
    }
    java.util.List<JsonObject> docs = new java.util.ArrayList<>();
    for (Object row : new JsonObject(r.body()).getJsonArray("rows", new JsonArray())) {
      docs.add(((JsonObject) row).getJsonObject("doc"));
    }
    return docs;
  }

  /** The document count the database reports. */
  long count(String db) {
    HttpResponse<String> r = send("GET", "/" + db, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("cannot read " + db + ": " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body()).getLong("doc_count");
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", auth).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
